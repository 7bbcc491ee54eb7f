"""HTTP for benchmarks that load the served app (bench/_setup.serve_production) on 127.0.0.1:
signed-in sessions made in-process, one kept-alive connection per thread, and a bounded pool
of threads working through a list of jobs."""

from __future__ import annotations

import http.client
import threading
import time

CSRF = "b" * 32  # the token every benchmark client sends as cookie and header alike


def signed_in_cookies(people) -> list[str]:
    """A `Cookie` header for each person: a database session signed in as them (as a sign-in
    makes one) and the CSRF cookie. The bench process's SECRET_KEY must be the server's."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    cookies = []
    for p in people:
        store = SessionStore()
        store[SESSION_KEY] = str(p.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = p.get_session_auth_hash()
        store.create()
        cookies.append(f"sessionid={store.session_key}; csrftoken={CSRF}")
    return cookies


class Client:
    """Requests to 127.0.0.1:`port`, each thread on its own kept-alive connection."""

    def __init__(self, port: int):
        self.port = port
        self.local = threading.local()

    def send(self, method: str, path: str, body: str | None, cookie: str, headers=None):
        """One request: (status, Location, body, ms); status 0 when the connection failed."""
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        head = {"Cookie": cookie, **(headers or {})}
        if method == "POST":
            head |= {"X-CSRFToken": CSRF, "Content-Type": "application/x-www-form-urlencoded"}
        s = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=head)
            resp = conn.getresponse()
            text = resp.read().decode()
        except (OSError, http.client.HTTPException):
            self.local.conn = None
            return 0, "", "", (time.perf_counter() - s) * 1000
        ms = (time.perf_counter() - s) * 1000
        return resp.status, resp.getheader("Location") or "", text, ms

    def post(self, path: str, body: str, cookie: str, headers=None):
        status, where, _text, ms = self.send("POST", path, body, cookie, headers)
        return status, where, ms

    def get(self, path: str, cookie: str):
        status, _where, text, ms = self.send("GET", path, None, cookie)
        return status, text, ms


def run_pool(jobs, fn, workers: int) -> list:
    """`fn` over `jobs` by `workers` threads, in the jobs' order; the results in the order they
    finished."""
    queue = list(reversed(jobs))
    out: list = []
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                job = queue.pop()
            result = fn(job)
            with lock:
                out.append(result)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out
