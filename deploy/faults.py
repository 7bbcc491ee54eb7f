"""The fault drill (issue #26): a bounded mixed load through nginx on `make prod-local` while
one part after another fails, then a count of what the load was told was accepted.

    make prod-local && .venv/bin/python deploy/faults.py [--seconds 20]   (or: make drill)

Load (threads, keep-alive connections to 127.0.0.1 only): members checking in with their
session's rotating QR code, xAPI batches of 10 statements, pages (the home page, the catalogue
search and the LRS query that read from the replica), and a member import run by the task
workers. Each phase runs the load for `--seconds` while one fault happens:

  baseline     nothing fails
  app-server   one of the two app servers is killed (SIGKILL) and comes back at the end
  worker       the worker running the member import is killed mid-task; another takes over
  replica      the replica is stopped: reads that may lag fall back to the primary
  primary      PostgreSQL restarts: the app reconnects by itself
  disk         the upload folder's quota fills up: uploads get a clear error

After each phase, once the workers are idle, every acknowledged check-in, statement and
imported row is counted in the primary: lost (acknowledged, not there) and duplicated (there
more than once) must be 0. Exit status 1 if either is not.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIR = Path(os.environ.get("PROD_LOCAL_DIR", ROOT / "var" / "prod-local"))
PGBIN = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")
HOST, PORT = "127.0.0.1", int(os.environ.get("PROD_LOCAL_PORT", "8080"))


def load_env() -> dict:
    env = {}
    for line in (DIR / "env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            k, v = line.split("=", 1)
            env[k] = v
    return env


ENV = load_env()


def django_setup() -> None:
    """The drill's own reads and set-up go straight to the primary."""
    os.environ.update(ENV)
    os.environ["DATABASE_URL"] = ENV["DATABASE_DIRECT_URL"]
    os.environ.pop("DATABASE_REPLICA_URL", None)
    os.environ.pop("DB_POOLER", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def as_pg(*cmd: str) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *cmd], check=True, capture_output=True)


# --- the processes of the topology ---------------------------------------------------------


def _pid(name: str) -> int:
    return int((DIR / "run" / f"{name}.pid").read_text())


def kill_group(name: str) -> None:
    pid = _pid(name)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        try:  # reap it if it is our child
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.05)


def start_app(port: int) -> None:
    """What systemd's Restart=always does for suotdoi-web@<port>."""
    log = open(DIR / "log" / f"app-{port}.log", "a")  # noqa: SIM115 - the child keeps it
    p = subprocess.Popen(
        [str(ROOT / ".venv/bin/granian"), "--interface", "wsgi", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1", "--blocking-threads", "8",
         "config.wsgi:application"],
        cwd=ROOT, env={**os.environ, **ENV}, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    (DIR / "run" / f"app-{port}.pid").write_text(str(p.pid))
    wait_for(lambda: _get(f"http://127.0.0.1:{port}/healthz") == 200, 60, f"app {port}")


def start_worker(n: int) -> None:
    log = open(DIR / "log" / f"worker-{n}.log", "a")  # noqa: SIM115 - the child keeps it
    p = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "manage.py", "task_worker", "--worker-id",
         f"prod-local-{n}"],
        cwd=ROOT, env={**os.environ, **ENV}, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    (DIR / "run" / f"worker-{n}.pid").write_text(str(p.pid))


def pg_ctl(which: str, action: str) -> None:
    as_pg(f"{PGBIN}/pg_ctl", "-D", str(DIR / f"pg-{which}"), "-m", "fast", "-w", action,
          "-l", str(DIR / "log" / f"pg-{which}.log"))  # fmt: skip


def _get(url: str) -> int:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - 127.0.0.1 only
            return r.status
    except Exception:  # noqa: BLE001 - any failure is "not up yet"
        return 0


def wait_for(cond, seconds: float, what: str) -> float:
    from django.db import DatabaseError, connection

    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        try:
            if cond():
                return time.monotonic() - t0
        except DatabaseError:  # the drill's own connection died with the primary's restart
            connection.close()
        time.sleep(0.2)
    raise SystemExit(f"drill: {what} not reached within {seconds:.0f} s")


# --- the world the load acts on ------------------------------------------------------------


class World:
    def __init__(self, members: int) -> None:
        import datetime as dt
        from decimal import Decimal

        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore
        from django.utils import timezone

        from suotdoi.campaigns import actions as campaigns
        from suotdoi.campaigns.models import Task
        from suotdoi.demo.world import build_world
        from suotdoi.organisations.models import Membership
        from suotdoi.people.models import Person
        from suotdoi.records.lrs.actions import lrs_client_create

        w = build_world(size="small", seed=int(time.time()))
        self.units, self.people = w.units, w.people
        g = w.units["grassroots"]
        tag = uuid.uuid4().hex[:6]
        crowd = []
        for i in range(members):
            p = Person(full_name=f"Đoàn Viên Diễn Tập {i}", phone=f"+8496{i:07d}")
            p.password = "!"  # noqa: S105 - signed in by a session made here
            p.fill_derived()
            crowd.append(p)
        Person.objects.bulk_create(crowd, batch_size=2000)
        self.members = list(
            Person.objects.filter(phone__startswith="+8496")
            .order_by("pk")
            .values_list("pk", "name_sort")
        )
        Membership.objects.bulk_create(
            [Membership(person_id=pk, unit=g, unit_path=g.path, person_name_sort=ns,
                        start_date=dt.date(2025, 1, 1), role="member")
             for pk, ns in self.members],
            batch_size=2000,
        )  # fmt: skip
        province = w.people["provincial_officer"]
        today = timezone.localdate()
        campaign = campaigns.campaign_create(
            actor=province, issuer=w.units["federation"], title=f"Diễn tập {tag}",
            purpose="Diễn tập sự cố", target_type_codes=["cdcs"], starts_on=today,
            ends_on=today + dt.timedelta(days=30), report_due=today + dt.timedelta(days=40),
        )  # fmt: skip
        campaigns.campaign_launch(actor=province, campaign=campaign)
        task = Task.objects.get(campaign=campaign, unit=g)
        self.session = campaigns.session_create(
            actor=w.people["grassroots_chair"], task=task, kind="talk", title="Tọa đàm",
            starts_at=timezone.now() - dt.timedelta(minutes=30), hours=Decimal("2"),
        )  # fmt: skip
        self.cookies = {}
        for pk, _ns in self.members:
            person = Person(pk=pk, password="!")  # noqa: S106
            store = SessionStore()
            store[SESSION_KEY] = str(pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = person.get_session_auth_hash()
            store.create()
            self.cookies[pk] = store.session_key
        client, secret = lrs_client_create(actor=None, unit=g, name=f"drill {tag}")
        self.lrs_auth = "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode()
        self.queue = list(self.members)  # each member checks in once over the whole drill
        self.lock = threading.Lock()

    def next_member(self):
        with self.lock:
            return self.queue.pop() if self.queue else None

    def qr(self) -> str:
        from suotdoi.campaigns import qr

        return qr.current_token(self.session)


# --- the load ------------------------------------------------------------------------------


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent = Counter()
        self.ok = Counter()
        self.failed = Counter()
        self.failures = defaultdict(Counter)  # kind -> status or error -> n
        self.acked_checkins: list[int] = []
        self.acked_statements: list[str] = []
        self.timeline: list[tuple[float, str, bool]] = []
        self.latency: dict[str, list[float]] = defaultdict(list)

    def note(self, kind: str, ok: bool, why: str = "", ms: float = 0.0) -> None:
        with self.lock:
            if ok:
                self.latency[kind].append(ms)
            self.sent[kind] += 1
            self.timeline.append((time.monotonic(), kind, ok))
            if ok:
                self.ok[kind] += 1
            else:
                self.failed[kind] += 1
                self.failures[kind][why] += 1


def _request(conn_box, method, path, body=None, headers=None):
    """One request on a kept-alive connection; a new one after any transport failure. The
    time it took (ms) is left in conn_box[1]."""
    t0 = time.perf_counter()
    try:
        return _send(conn_box, method, path, body, headers)
    finally:
        conn_box[1] = (time.perf_counter() - t0) * 1000


def _send(conn_box, method, path, body, headers):
    if conn_box[0] is None:
        conn_box[0] = http.client.HTTPConnection(HOST, PORT, timeout=30)
    conn = conn_box[0]
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        if r.getheader("Connection", "").lower() == "close":
            conn.close()
            conn_box[0] = None
        return r.status, data
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        conn_box[0] = None
        return None, type(exc).__name__.encode()


def checkin_loop(world: World, tally: Tally, stop: threading.Event, per_second: float = 0) -> None:
    box = [None, 0.0]
    csrf = "d" * 32
    while not stop.is_set():
        t0 = time.monotonic()
        member = world.next_member()
        if member is None:
            return
        pk = member[0]
        status, data = _request(
            box, "POST", f"/campaigns/checkin/{world.qr()}/", body=b"",
            headers={"Cookie": f"sessionid={world.cookies[pk]}; csrftoken={csrf}",
                     "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        ok = status == 200
        tally.note("check-in", ok, str(status or data.decode()), box[1])
        if ok:
            with tally.lock:
                tally.acked_checkins.append(pk)
        _pace(stop, t0, per_second)


def xapi_loop(world: World, tally: Tally, stop: threading.Event, per_second: float = 0) -> None:
    box = [None, 0.0]
    while not stop.is_set():
        t0 = time.monotonic()
        batch = [
            {
                "id": str(uuid.uuid4()),
                "actor": {"mbox": f"mailto:hv{i}@drill.example.vn", "objectType": "Agent"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
                "object": {"id": f"https://drill.example.vn/bai/{i}"},
            }
            for i in range(10)
        ]
        status, data = _request(
            box, "POST", "/xapi/statements", body=json.dumps(batch).encode(),
            headers={"Authorization": world.lrs_auth, "Content-Type": "application/json",
                     "X-Experience-API-Version": "1.0.3"},
        )  # fmt: skip
        ok = status == 200 and json.loads(data) == [s["id"] for s in batch]
        tally.note("xapi batch", ok, str(status or data.decode()), box[1])
        if ok:
            with tally.lock:
                tally.acked_statements.extend(s["id"] for s in batch)
        _pace(stop, t0, per_second)


def page_loop(world: World, tally: Tally, stop: threading.Event, per_second: float = 0) -> None:
    box = [None, 0.0]
    pages = ["/", "/catalog/?q=an+to%C3%A0n", "/healthz"]
    i = 0
    while not stop.is_set():
        t0 = time.monotonic()
        path = pages[i % len(pages)]
        i += 1
        status, data = _request(box, "GET", path)
        tally.note("page", status == 200, str(status or data.decode()), box[1])
        status, data = _request(
            box, "GET", "/xapi/statements?limit=5",
            headers={"Authorization": world.lrs_auth, "X-Experience-API-Version": "1.0.3"},
        )  # fmt: skip
        tally.note("lrs query", status == 200, str(status or data.decode()), box[1])
        _pace(stop, t0, per_second or 20)


def _pace(stop: threading.Event, t0: float, per_second: float) -> None:
    """At most `per_second` iterations a second (0: as fast as answers come)."""
    if per_second:
        rest = 1.0 / per_second - (time.monotonic() - t0)
        if rest > 0:
            stop.wait(rest)


# --- the member import run by the workers --------------------------------------------------


class Import:
    def __init__(self, world: World, rows: int, base: int) -> None:
        from suotdoi.demo.sheets import member_sheet
        from suotdoi.organisations import import_actions

        self.rows = rows
        chair, unit = world.people["grassroots_chair"], world.units["grassroots"]
        data = member_sheet(rows, [], seed=base, phone_base=base)
        self.imp = import_actions.member_import_upload(
            actor=chair, unit=unit, file_name="drill.xlsx", data=data
        )
        self.chair = chair

    def status(self) -> str:
        self.imp.refresh_from_db()
        return self.imp.status

    def confirm(self) -> None:
        from suotdoi.organisations import import_actions

        wait_for(lambda: self.status() == "validated", 120, "the import's check")
        import_actions.member_import_confirm(actor=self.chair, imp=self.imp)

    def count(self) -> tuple[int, int, int]:
        from django.db.models import Count

        from suotdoi.organisations.models import Membership

        rows = Membership.objects.filter(import_batch=self.imp)
        per_person = rows.values("person_id").annotate(n=Count("id"))
        present = per_person.count()
        dup = sum(r["n"] - 1 for r in per_person if r["n"] > 1)
        return self.rows - present, dup, present


def workers_idle() -> bool:
    from django_tasks_db.models import DBTaskResult

    return not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()


# --- the phases ----------------------------------------------------------------------------


def run_phase(name, world, seconds, fault, *, import_rows=0, base=0):
    tally = Tally()
    stop = threading.Event()
    imp = Import(world, import_rows, base) if import_rows else None
    threads = [threading.Thread(target=f, args=(world, tally, stop), daemon=True)
               for f in (checkin_loop, checkin_loop, xapi_loop, xapi_loop, page_loop)]  # fmt: skip
    if imp:
        imp.confirm()
    t0 = time.monotonic()
    for t in threads:
        t.start()
    notes = fault(imp) if fault else {}
    rest = seconds - (time.monotonic() - t0)
    if rest > 0:
        time.sleep(rest)
    stop.set()
    for t in threads:
        t.join(60)
    after = notes.pop("after", None)
    if after:
        after()
    if imp:
        wait_for(lambda: imp.status() in ("done", "failed"), 180, "the import's end")
    wait_for(workers_idle, 120, "idle workers")
    return check(name, world, tally, imp, notes, t0)


def check(name, world, tally, imp, notes, t0) -> dict:
    from django.db import connection
    from django.db.models import Count

    connection.close()  # counted on a fresh connection to the primary
    from suotdoi.campaigns.models import Attendance
    from suotdoi.records.lrs.models import Statement
    from suotdoi.records.models import LearningEntry

    sid = world.session.pk
    got = Counter(
        Attendance.objects.filter(session_id=sid, person_id__in=tally.acked_checkins)
        .values_list("person_id", flat=True)
    )  # fmt: skip
    keys = [f"session:{sid}:{pk}" for pk in tally.acked_checkins]
    entries = Counter()
    for i in range(0, len(keys), 2000):
        for row in (
            LearningEntry.objects.filter(source_key__in=keys[i : i + 2000])
            .values("source_key").annotate(n=Count("id"))
        ):  # fmt: skip
            entries[row["source_key"]] = row["n"]
    st = Counter()
    ids = tally.acked_statements
    for i in range(0, len(ids), 2000):
        for row in (
            Statement.objects.filter(statement_id__in=ids[i : i + 2000])
            .values("statement_id").annotate(n=Count("seq"))
        ):  # fmt: skip
            st[str(row["statement_id"])] = row["n"]
    lost = Counter()
    dup = Counter()
    lost["check-in"] = sum(1 for pk in tally.acked_checkins if got[pk] == 0)
    dup["check-in"] = sum(n - 1 for n in got.values() if n > 1)
    lost["learning entry"] = sum(1 for k in keys if entries[k] == 0)
    dup["learning entry"] = sum(n - 1 for n in entries.values() if n > 1)
    lost["statement"] = sum(1 for s in ids if st[s] == 0)
    dup["statement"] = sum(n - 1 for n in st.values() if n > 1)
    result = {
        "phase": name,
        "sent": dict(tally.sent),
        "accepted": dict(tally.ok),
        "failed": {k: dict(v) for k, v in tally.failures.items()},
        "lost": dict(lost),
        "duplicated": dict(dup),
        **notes,
    }
    if imp:
        missing, twice, present = imp.count()
        result["import"] = {"rows": imp.rows, "status": imp.imp.status, "present": present}
        lost["imported row"], dup["imported row"] = missing, twice
        result["lost"], result["duplicated"] = dict(lost), dict(dup)
    # When did requests start succeeding again after the fault (all kinds)?
    fails = [t for t, _k, ok in tally.timeline if not ok]
    if fails:
        last_fail = max(fails)
        result["failures_window_s"] = round(last_fail - min(fails), 1)
        result["ok_after_last_failure"] = sum(1 for t, _k, ok in tally.timeline if t > last_fail)
    return result


def fault_app_server(_imp):
    def go():
        time.sleep(3)
        kill_group("app-8101")

    threading.Thread(target=go, daemon=True).start()
    return {"fault": "app server 8101 killed (SIGKILL) 3 s in", "after": lambda: start_app(8101)}


def fault_worker(imp):
    from django_tasks_db.models import DBTaskResult

    def running():
        return imp.status() == "running"

    wait_for(running, 60, "the import running")
    task = (
        DBTaskResult.objects.filter(
            task_path__endswith="member_import_run", status="RUNNING"
        ).order_by("-enqueued_at").first()
    )  # fmt: skip
    holder = task.worker_ids[-1] if task else ""
    n = 1 if holder.startswith("prod-local-1-") else 2
    kill_group(f"worker-{n}")
    start_worker(n)  # systemd's Restart=always: a new worker with a new id
    return {"fault": f"worker {n} killed (SIGKILL) while running the import ({holder})"}


def fault_replica(_imp):
    def go():
        time.sleep(3)
        pg_ctl("replica", "stop")

    threading.Thread(target=go, daemon=True).start()
    return {"fault": "replica stopped 3 s in", "after": lambda: pg_ctl("replica", "start")}


def fault_primary(_imp):
    def go():
        time.sleep(3)
        pg_ctl("primary", "restart")

    threading.Thread(target=go, daemon=True).start()
    return {"fault": "PostgreSQL primary restarted 3 s in (app servers not restarted)"}


class Uploads:
    """Members declaring learning with an evidence file (a PDF of 200 KB)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.box = [None, 0.0]
        self.csrf = "e" * 32
        self.pdf = b"%PDF-1.4\n" + b"0" * (200 * 1024)
        self.keys: list[tuple[str, int]] = []

    def one(self) -> tuple[int | None, str, str]:
        import re

        member = self.world.next_member()
        pk = member[0]
        cookie = f"sessionid={self.world.cookies[pk]}; csrftoken={self.csrf}"
        _s, page = _request(self.box, "GET", "/record/add/", headers={"Cookie": cookie})
        key = re.search(rb'name="key" value="([^"]+)"', page).group(1).decode()
        boundary = uuid.uuid4().hex
        fields = {
            "key": key,
            "kind": "reading",
            "title": "Sách nghề",
            "hours": "2",
            "start_date": "01/11/2026",
            "unit": str(self.world.units["grassroots"].pk),
        }
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ) + (
            f'--{boundary}\r\nContent-Disposition: form-data; name="evidence_file"; '
            f'filename="bang.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + self.pdf + f"\r\n--{boundary}--\r\n".encode()
        )  # fmt: skip
        status, data = _request(
            self.box, "POST", "/record/add/", body=body,
            headers={"Cookie": cookie + "; suotdoi_language=vi", "X-CSRFToken": self.csrf,
                     "Content-Type": f"multipart/form-data; boundary={boundary}"},
        )  # fmt: skip
        self.keys.append((key, pk))
        return status, data.decode("utf-8", "replace"), key


def fault_disk(_imp):
    """Fill the upload quota, try uploads, free it, try again."""
    from suotdoi.records.models import LearningEntry

    quota = DIR / "media-quota"
    if not quota.exists():
        return {"fault": "skipped: the upload folder has no quota here (needs root to mount)"}
    media = DIR / "media"
    filler = media / "filler.bin"
    st = os.statvfs(media)
    subprocess.run(["fallocate", "-l", str(st.f_bavail * st.f_frsize), str(filler)], check=True)
    up = Uploads(WORLD[0])
    told = refused_saved = 0
    full_keys = []
    for _ in range(5):
        status, text, key = up.one()
        full_keys.append(key)
        told += "Máy chủ hiện không còn chỗ lưu tệp" in text
    refused_saved = LearningEntry.objects.filter(source_key__in=full_keys).count()
    # (imports/ holds the worker phase's member list: legitimately there)
    partial = [p for p in (media / "evidence").rglob("*") if p.is_file()]
    filler.unlink()
    after = [up.one() for _ in range(3)]
    saved_after = sum(1 for status, _t, _k in after if status == 302)
    return {
        "fault": "upload quota filled, 5 evidence uploads tried, quota freed, 3 more tried",
        "disk": {
            "uploads_while_full": 5,
            "told_clearly": told,
            "entries_written_while_full": refused_saved,
            "partial_files_left": len(partial),
            "saved_after_freeing": saved_after,
        },
    }


WORLD: list = []


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--members", type=int, default=6000)
    ap.add_argument("--import-rows", type=int, default=3000)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    django_setup()
    world = World(args.members)
    WORLD.append(world)
    phases = [
        ("baseline", None, 0),
        ("app-server", fault_app_server, 0),
        ("worker", fault_worker, args.import_rows),
        ("replica", fault_replica, 0),
        ("primary", fault_primary, 0),
        ("disk", fault_disk, 0),
    ]
    bad = 0
    table = []
    for i, (name, fault, rows) in enumerate(phases):
        if args.only and name not in args.only.split(","):
            continue
        r = run_phase(name, world, args.seconds, fault, import_rows=rows, base=10_000_000 * (i + 1))
        print(json.dumps(r, ensure_ascii=False), flush=True)
        table.append(
            (name, *(sum(r[k].values()) for k in ("sent", "accepted")),
             sum(sum(v.values()) for v in r["failed"].values()),
             *(sum(r[k].values()) for k in ("lost", "duplicated")))
        )  # fmt: skip
        problems = []
        if any(r["lost"].values()) or any(r["duplicated"].values()):
            problems.append("lost or duplicated")
        if name == "baseline" and r["failed"]:
            problems.append("failures without a fault")
        if set(r["sent"]) - set(r["accepted"]):
            problems.append("a kind of request never succeeded")
        if r.get("import", {}).get("status", "done") != "done":
            problems.append("the import did not finish")
        disk = r.get("disk")
        if disk and (
            disk["told_clearly"] != disk["uploads_while_full"]
            or disk["entries_written_while_full"]
            or disk["partial_files_left"]
            or disk["saved_after_freeing"] != 3
        ):
            problems.append("uploads on a full disk were not refused cleanly")
        if problems:
            print(f"drill: phase {name}: {', '.join(problems)}", flush=True)
            bad += 1
    print(f"{'phase':<12}{'sent':>8}{'accepted':>10}{'failed':>8}{'lost':>6}{'duplicated':>12}")
    for row in table:
        print(f"{row[0]:<12}{row[1]:>8}{row[2]:>10}{row[3]:>8}{row[4]:>6}{row[5]:>12}")
    print(f"drill: {'FAILED' if bad else 'passed'} ({bad} phase(s) with problems)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
