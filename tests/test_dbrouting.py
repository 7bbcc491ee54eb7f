"""The database router: reads that may lag go to the replica only when it is safe (issue #26).
The real replica (streaming, stopped, lagging) is exercised by deploy/faults.py against
`make prod-local`; here each rule of the decision, on any database."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from suotdoi.core import dbrouting

pytestmark = pytest.mark.django_db
_real_in_transaction = dbrouting._in_transaction


@pytest.fixture
def replica(monkeypatch):
    """As if a healthy replica were configured."""
    state = {"usable": True, "probe": 0.0}
    monkeypatch.setattr(dbrouting, "replica_configured", lambda: True)
    monkeypatch.setattr(dbrouting, "replica_usable", lambda: state["usable"])
    monkeypatch.setattr(dbrouting, "_probe", lambda: state["probe"])
    # Every test here runs inside pytest-django's transaction: as if it did not.
    monkeypatch.setattr(dbrouting, "_in_transaction", lambda: state["atomic"])
    state["atomic"] = False
    dbrouting.health.reset()
    yield state
    dbrouting.health.reset()


def test_without_a_replica_everything_reads_from_the_primary():
    assert not dbrouting.replica_configured()
    with dbrouting.reads_may_lag():
        assert dbrouting.read_alias() == "default"
    router = dbrouting.ReplicaRouter()
    assert router.allow_migrate("replica", "people") is False
    assert router.allow_migrate("default", "people") is True


def test_only_marked_reads_go_to_the_replica(replica):
    assert dbrouting.read_alias() == "default"
    with dbrouting.reads_may_lag():
        assert dbrouting.read_alias() == "replica"
        assert dbrouting.ReplicaRouter().db_for_write(None) == "default"
    assert dbrouting.read_alias() == "default"


def test_an_unhealthy_or_lagging_replica_is_not_used(replica):
    replica["usable"] = False
    with dbrouting.reads_may_lag():
        assert dbrouting.read_alias() == "default"


def test_a_read_inside_a_transaction_stays_on_the_primary(replica, monkeypatch):
    monkeypatch.setattr(dbrouting, "_in_transaction", _real_in_transaction)
    # as a select_for_update in a lagging view would be
    with dbrouting.reads_may_lag(), transaction.atomic():
        assert dbrouting.read_alias() == "default"


def test_a_browser_that_wrote_reads_its_own_writes(replica, settings):
    seen = []

    def view(request):
        with dbrouting.reads_may_lag():
            seen.append(dbrouting._pinned.get())
        return HttpResponse("ok")

    mw = dbrouting.PrimaryAfterWriteMiddleware(view)
    rf = RequestFactory()
    wrote = mw(rf.post("/x"))
    cookie = wrote.cookies[dbrouting.PIN_COOKIE]
    assert cookie["max-age"] == settings.REPLICA_PIN_SECONDS and cookie["httponly"]
    mw(rf.get("/x"))  # another browser, no cookie
    after = rf.get("/x")
    after.COOKIES[dbrouting.PIN_COOKIE] = cookie.value
    mw(after)
    forged = rf.get("/x")
    forged.COOKIES[dbrouting.PIN_COOKIE] = "1"
    mw(forged)
    assert seen == [False, False, True, False]


def test_a_failed_write_does_not_pin_but_a_refused_one_does(replica):
    rf = RequestFactory()
    crash = dbrouting.PrimaryAfterWriteMiddleware(lambda r: HttpResponse(status=500))
    assert dbrouting.PIN_COOKIE not in crash(rf.post("/x")).cookies
    refused = dbrouting.PrimaryAfterWriteMiddleware(lambda r: HttpResponse(status=409))
    assert dbrouting.PIN_COOKIE in refused(rf.post("/x")).cookies
    read = dbrouting.PrimaryAfterWriteMiddleware(lambda r: HttpResponse())
    assert dbrouting.PIN_COOKIE not in read(rf.get("/x")).cookies


def test_a_machine_client_is_pinned_by_its_credentials(replica):
    seen = []

    def view(request):
        seen.append(dbrouting._pinned.get())
        return HttpResponse(status=200)

    mw = dbrouting.PrimaryAfterWriteMiddleware(view)
    rf = RequestFactory()
    mw(rf.get("/xapi/statements", HTTP_AUTHORIZATION="Basic a2V5OnNlY3JldA=="))
    response = mw(rf.post("/xapi/statements", HTTP_AUTHORIZATION="Basic a2V5OnNlY3JldA=="))
    assert dbrouting.PIN_COOKIE not in response.cookies  # no cookie for a machine
    mw(rf.get("/xapi/statements", HTTP_AUTHORIZATION="Basic a2V5OnNlY3JldA=="))
    mw(rf.get("/xapi/statements", HTTP_AUTHORIZATION="Basic b3RoZXI6b3RoZXI="))
    assert seen == [False, False, True, False]


def test_a_refused_client_leaves_no_pin(replica):
    from django.core.cache import cache

    refused = dbrouting.PrimaryAfterWriteMiddleware(lambda r: HttpResponse(status=401))
    request = RequestFactory().post("/xapi/statements", HTTP_AUTHORIZATION="Basic Zm9vOmJhcg==")
    refused(request)
    assert cache.get(dbrouting._client_key(request)) is None


def test_a_view_whose_replica_fails_runs_again_on_the_primary(replica):
    where = []

    def view(request):
        where.append(dbrouting.read_alias())
        if len(where) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse("ok")

    replica["probe"] = None  # the replica is gone
    response = dbrouting.replica_reads(view)(RequestFactory().get("/x"))
    assert response.status_code == 200
    assert where == ["replica", "default"]


def test_an_error_of_the_primary_is_not_hidden(replica):
    def view(request):
        raise OperationalError("the primary is gone")

    with pytest.raises(OperationalError):
        dbrouting.replica_reads(view)(RequestFactory().get("/x"))


def test_writes_are_never_lagging(replica):
    where = []

    def view(request):
        where.append(dbrouting.read_alias())
        return HttpResponse()

    dbrouting.replica_reads(view)(RequestFactory().post("/x"))
    assert where == ["default"]


def test_the_health_query_runs_on_this_database():
    """The lag query is valid SQL on PostgreSQL (a primary answers 0)."""
    if connection.vendor != "postgresql":
        pytest.skip("the lag query is PostgreSQL's")
    with connection.cursor() as cur:
        cur.execute(dbrouting._LAG_SQL)
        assert cur.fetchone()[0] == 0
