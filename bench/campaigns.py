"""Benchmark: a campaign over 5,000 grassroots unions and 300,000 members (PostgreSQL).

Builds a federation → 50 direct-level unions → 5,000 grassroots unions tree with 60 members
each (bulk, not timed), then measures:

  - launch: the cascade creating every grassroots union's task (target ≤ 10 s);
  - the issuer's dashboard page, rendered through Django, median of 20 (target ≤ 200 ms);
  - check-ins over HTTP: members (signed-in sessions) post the rotating QR code of their
    union's session, with wrk against granian (2 workers) on 127.0.0.1 for a bounded time
    (target 200 check-ins/s, p95 ≤ 100 ms).

    BENCH_DATABASE_URL=postgres://…/scratch python bench/campaigns.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

from _setup import BENCH_SECRET, serve_production, use_database

LUA = """
local lines = {}
for line in io.lines("%s") do lines[#lines + 1] = line end
local i = 0
request = function()
  i = i + 1
  if i > #lines then i = 1 end
  local path, cookie = lines[i]:match("([^\\t]+)\\t(.+)")
  return wrk.format("POST", path, {
    ["Cookie"] = cookie, ["X-CSRFToken"] = "%s",
    ["Content-Type"] = "application/x-www-form-urlencoded"}, "")
end
done = function(summary, latency, requests)
  io.write(string.format("p95 %%.1fms\\n", latency:percentile(95) / 1000))
end
local shown = false
response = function(status, headers, body)
  if status >= 300 and not shown then
    shown = true
    io.stderr:write("first refusal: " .. status .. " " .. (headers["Location"] or "") .. " "
      .. string.sub(body, 1, 200) .. "\\n")
  end
end
"""


def build_tree(n_grassroots: int, per_unit: int):
    from suotdoi.organisations.models import Membership, Unit, UnitType
    from suotdoi.people.models import Person

    types = {t.code: t for t in UnitType.objects.all()}
    step = Unit.steplen

    def p(i: int) -> str:
        return f"{i:0{step}d}" if step == 4 else str(i).zfill(step)

    n_mid = 50
    root = Unit(
        name="Liên đoàn Lao động tỉnh Thử Tải",
        code="LDLD-BENCH",
        unit_type=types["ldld-tinh"],
        path=p(1),
        depth=1,
        numchild=n_mid,
        member_count=0,
    )
    units = [root]
    for m in range(n_mid):
        units.append(
            Unit(
                name=f"Công đoàn cấp trên {m + 1}",
                code=f"CDCT-{m + 1}",
                unit_type=types["cdct-truc-tiep"],
                path=p(1) + p(m + 1),
                depth=2,
                numchild=n_grassroots // n_mid,
                member_count=0,
            )
        )
    for g in range(n_grassroots):
        m, k = divmod(g, n_grassroots // n_mid)
        units.append(
            Unit(
                name=f"Công đoàn cơ sở số {g + 1}",
                code=f"CDCS-B{g + 1}",
                unit_type=types["cdcs"],
                path=p(1) + p(m + 1) + p(k + 1),
                depth=3,
                numchild=0,
                member_count=per_unit,
            )
        )
    for u in units:
        u.fill_derived()
    Unit.objects.bulk_create(units, batch_size=2000)
    grassroots = list(Unit.objects.filter(depth=3, tree_key=p(1)).order_by("path"))
    people = []
    for i in range(n_grassroots * per_unit):
        person = Person(full_name=f"Đoàn Viên {i}", phone=f"+849{70000000 + i}")
        person.password = "!"  # noqa: S105 - unusable; they sign in by session below
        person.fill_derived()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=5000)
    ids = list(
        Person.objects.filter(phone__startswith="+849")
        .order_by("pk")
        .values_list("pk", "name_sort")
    )
    Membership.objects.bulk_create(
        [
            Membership(
                person_id=pk,
                unit=grassroots[i // per_unit],
                unit_path=grassroots[i // per_unit].path,
                person_name_sort=ns,
                start_date=dt.date(2025, 1, 1),
                role="member",
            )
            for i, (pk, ns) in enumerate(ids)
        ],
        batch_size=5000,
    )
    return root, grassroots


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--members", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--port", type=int, default=8793)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if args.seconds > 25:
        sys.exit("keep --seconds ≤ 25: a check-in code lives 30 to 60 seconds")
    url = use_database("postgres")
    from django.conf import settings

    settings.DEBUG = False
    settings.SECRET_KEY = BENCH_SECRET
    settings.ALLOWED_HOSTS = ["*"]
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client
    from django.utils import timezone

    from suotdoi.campaigns import actions, qr
    from suotdoi.campaigns.models import Attendance, Task
    from suotdoi.organisations.models import Membership
    from suotdoi.people.models import Person

    started = time.perf_counter()
    root, grassroots = build_tree(args.units, args.members)
    print(
        f"tree: {len(grassroots):,} grassroots unions, "
        f"{Membership.objects.count():,} members ({time.perf_counter() - started:.0f} s)"
    )
    officer = Person.objects.create_user(
        full_name="Cán Bộ Tỉnh", phone="+84912999999", password="x"
    )
    Membership.objects.create(
        person=officer,
        unit=root,
        unit_path=root.path,
        role="admin",
        person_name_sort=officer.name_sort,
        start_date=dt.date(2025, 1, 1),
    )
    today = timezone.localdate()
    campaign = actions.campaign_create(
        actor=officer,
        issuer=root,
        title="Học tập suốt đời",
        purpose="Thử tải",
        target_type_codes=["cdcs"],
        starts_on=today,
        ends_on=today + dt.timedelta(days=60),
        report_due=today + dt.timedelta(days=45),
        min_sessions=1,
        min_attendance_pct=50,
    )
    started = time.perf_counter()
    n = actions.campaign_launch(actor=officer, campaign=campaign)
    print(f"launch (cascade): {n:,} tasks in {time.perf_counter() - started:.2f} s")

    tasks = list(
        Task.objects.filter(campaign=campaign).select_related("unit").order_by("unit_path")[:100]
    )
    sessions = [
        actions.session_create(
            actor=officer,
            task=t,
            kind="thematic",
            title="Chuyên đề",
            starts_at=timezone.now(),
            hours=Decimal("2"),
        )
        for t in tasks
    ]
    # A few check-ins so the dashboard has something to sum.
    for s in sessions[:20]:
        for m in Membership.objects.filter(unit=s.task.unit).select_related("person")[:40]:
            actions.attendance_record(actor=officer, session=s, person=m.person, method="manual")

    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(officer, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(officer)
    timings = []
    for i in range(25):
        t0 = time.perf_counter()
        r = client.get(f"/campaigns/{campaign.pk}/")
        if i >= 5:
            timings.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, r.status_code
    print(
        f"dashboard page: median {statistics.median(timings):.0f} ms, "
        f"max {max(timings):.0f} ms (rendered through Django)"
    )

    # Signed-in members and the rotating codes of their sessions.
    csrf = "b" * 32
    rows = []
    by_placeholder = {}
    for s in sessions[20:]:
        token = f"@{s.pk}@"
        by_placeholder[token] = s
        for m in Membership.objects.filter(unit=s.task.unit).select_related("person"):
            store = SessionStore()
            store[SESSION_KEY] = str(m.person.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = m.person.get_session_auth_hash()
            store.create()
            rows.append(
                f"/campaigns/checkin/{token}/\tsessionid={store.session_key}; csrftoken={csrf}"
            )
    text = "\n".join(rows)
    tsv = tempfile.mktemp(suffix=".tsv")  # noqa: S306 - filled just before wrk starts
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(LUA % (tsv, csrf))
    with serve_production(url, args.port, static=True):
        # The codes are made now, so they stay valid for the whole (≤ 25 s) run.
        for placeholder, s in by_placeholder.items():
            text = text.replace(placeholder, qr.current_token(s))
        with open(tsv, "w") as f:
            f.write(text)
        before = Attendance.objects.count()
        done = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--latency",
                "-s",
                lua.name,
                f"http://127.0.0.1:{args.port}",
            ],
            capture_output=True,
            text=True,
            timeout=args.seconds + 60,
        )
        out = done.stdout
        if done.stderr.strip():
            print("  " + done.stderr.strip().splitlines()[0][:300])
        made = Attendance.objects.count() - before
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p90 = re.search(r"^\s+90%\s+(\S+)", out, re.MULTILINE).group(1)
        p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)
        p95 = re.search(r"p95 (\S+)", out).group(1)
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        print(
            f"check-ins over HTTP, {args.connections} connections, {args.seconds} s: "
            f"{rps:.0f} requests/s, p90 {p90}, "
            f"p95 {p95}, p99 {p99}; {made:,} attendances recorded; non-2xx {bad.group(1) if bad else 0}"
        )
    # What the background worker then does for each check-in (counters, entry, audit).
    pending = Attendance.objects.filter(settled_at__isnull=True).count()
    started = time.perf_counter()
    for sid in (
        Attendance.objects.filter(settled_at__isnull=True)
        .values_list("session_id", flat=True)
        .distinct()
    ):
        actions.session_settle(session_id=sid)
    took = time.perf_counter() - started
    if pending:
        print(
            f"settling {pending:,} check-ins session by session in one worker: "
            f"{pending / took:.0f}/s"
        )
    left = Attendance.objects.filter(settled_at__isnull=True).count()
    done = Task.objects.filter(campaign=campaign, sessions_held__gt=0).count()
    print(f"  unsettled left: {left}; units with a session held: {done:,}")


if __name__ == "__main__":
    main()
