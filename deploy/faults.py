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
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (  # noqa: E402
    DIR,
    Tally,
    World,
    _request,
    checkin_loop,
    django_setup,
    kill_group,
    page_loop,
    pg_ctl,
    start_app,
    start_worker,
    wait_for,
    xapi_loop,
)

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
    w = notes.get("worker")
    if w:
        w["attempts"] = w["attempts"]()
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
    mid_task = imp.status() == "running"  # the kill came before the import's commit
    start_worker(n)  # systemd's Restart=always: a new worker with a new id

    def attempts():
        if task is None:
            return 0
        task.refresh_from_db()
        return len(task.worker_ids)

    return {
        "fault": f"worker {n} killed (SIGKILL) while running the import ({holder})",
        "worker": {"killed_mid_task": mid_task, "attempts": attempts},
    }


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

        pk = self.world.uploaders.pop()[0]
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
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--members", type=int, default=4000)
    ap.add_argument("--import-rows", type=int, default=2000)
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
        w = r.get("worker")
        if w and not (w["killed_mid_task"] and w["attempts"] >= 2):
            problems.append("the worker was not killed mid-task, or no second attempt ran")
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
