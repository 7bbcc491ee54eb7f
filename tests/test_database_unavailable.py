"""The database away for a moment (a restart, a fail-over): 503, Retry-After, a translated
message — for pages, the API and the LRS — and the next request works (issue #26)."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_a_page_says_try_again_in_vietnamese(rf):
    from django.utils import translation

    from suotdoi.core.middleware import DatabaseUnavailableMiddleware

    mw = DatabaseUnavailableMiddleware(lambda r: None)
    with translation.override("vi"):
        r = mw.process_exception(rf.get("/campaigns/"), OperationalError("server closed"))
    assert r.status_code == 503 and r["Retry-After"] == "5"
    assert "Chưa có gì được lưu" in r.content.decode()


def test_machines_get_json(rf):
    from suotdoi.core.middleware import DatabaseUnavailableMiddleware

    mw = DatabaseUnavailableMiddleware(lambda r: None)
    for path in ("/api/v1/units/1/", "/xapi/statements"):
        r = mw.process_exception(rf.post(path), OperationalError("gone"))
        assert r.status_code == 503 and json.loads(r.content)["code"] == "database_unavailable"


def test_other_errors_are_not_hidden(rf):
    from suotdoi.core.middleware import DatabaseUnavailableMiddleware

    mw = DatabaseUnavailableMiddleware(lambda r: None)
    assert mw.process_exception(rf.get("/"), ValueError("a bug")) is None


def test_through_the_whole_stack(client, monkeypatch):
    """A search that meets a dropped connection, through every middleware."""
    from suotdoi.catalog import views as catalog_views

    def boom(*a, **kw):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(catalog_views, "search", boom)
    client.cookies["suotdoi_language"] = "vi"
    r = client.get("/catalog/?q=an+to%C3%A0n")
    assert r.status_code == 503 and r["Retry-After"] == "5"
    assert "Chưa có gì được lưu; xin thử lại" in r.content.decode()
    monkeypatch.undo()
    assert client.get("/catalog/?q=an+to%C3%A0n").status_code == 200


def test_a_failure_before_any_view_is_a_503_too(client, people, monkeypatch):
    """The session is loaded by a middleware: a database restarting then is not a 500."""
    from django.contrib.sessions.backends.db import SessionStore

    client.force_login(people["member"])

    def boom(self):
        raise OperationalError("the connection is closed")

    monkeypatch.setattr(SessionStore, "load", boom)
    client.raise_request_exception = False
    client.cookies["suotdoi_language"] = "vi"
    r = client.get("/record/")
    assert r.status_code == 503 and r["Retry-After"] == "5"
    assert "Chưa có gì được lưu; xin thử lại" in r.content.decode()
    monkeypatch.undo()
    assert client.get("/record/").status_code == 200


def test_a_connection_out_of_step_is_a_503_and_is_not_used_again(rf):
    """Through PgBouncer while PostgreSQL restarts, psycopg once met two answers to one BEGIN;
    that is the database being away too, and that connection must not serve another request.
    Other internal errors (a bug's aborted transaction) are not hidden."""
    from django.db import InternalError, connection

    from suotdoi.core.middleware import DatabaseUnavailableMiddleware

    mw = DatabaseUnavailableMiddleware(lambda r: None)
    connection.ensure_connection()
    connection.close_at = None
    r = mw.process_exception(
        rf.post("/xapi/statements"), InternalError("received 2 results from command 'BEGIN'")
    )
    assert r.status_code == 503 and r["Retry-After"] == "5"
    assert connection.close_at == 0
    connection.close_at = None
    other = InternalError("current transaction is aborted, commands ignored")
    assert mw.process_exception(rf.get("/"), other) is None
