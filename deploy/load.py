"""prod-local's processes and the mixed load the fault drill and the soak send through nginx
(issue #26): members checking in with the rotating QR code, xAPI batches, pages and LRS
queries — each on a kept-alive connection to 127.0.0.1, each answer tallied."""

from __future__ import annotations

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
        self.uploaders = [self.queue.pop() for _ in range(20)]  # kept for the disk phase
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
