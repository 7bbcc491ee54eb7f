"""Shared fixtures: the persona world (two organisation trees, one of them foreign)."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from suotdoi.demo.world import DEMO_PASSWORD, build_world


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and progress live in the cache; no test may see another's."""
    from django.core.cache import cache

    from suotdoi.records.lrs import attempts, auth, cors, storage

    cache.clear()
    auth._cache.clear()
    storage._SEEN_DEFINITIONS.clear()
    attempts.forget_unit_types()
    cors.forget_origins()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """The small demo world: the same shape and personas as `make run`."""
    return build_world(size="small")


@pytest.fixture
def people(world):
    return world.people


@pytest.fixture
def units(world):
    return world.units


@pytest.fixture
def client_for():
    """A logged-in client per persona (officers have two-factor enrolled in the world)."""

    def make(person) -> Client:
        c = Client()
        if person is not None:
            c.force_login(person)
        return c

    return make


@pytest.fixture
def password():
    return DEMO_PASSWORD


def xlsx_bytes(rows: list[list], *, header: list | None = None, merge: str | None = None) -> bytes:
    from openpyxl import Workbook

    from suotdoi.organisations.importing import COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.append(header if header is not None else [str(c.header) for c in COLUMNS])
    for r in rows:
        ws.append(r)
    if merge:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _transactional(item) -> bool:
    """pytest-django's own test: a transactional test ends by emptying every table."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """1. Every transactional test keeps the migrations' seeded rows (unit types, criteria
    sets, report forms …): marked `serialized_rollback`, so the test database's migrated
    contents are kept, and they are loaded again after each such test (below). xdist hands a
    file out whole, so a file's transactional test may run before another file's plain tests
    on the same worker — which then found those tables empty.
    2. The schemathesis runs are the longest file of the suite: it goes first, so that one
    worker runs it while the other starts on the rest (xdist hands files out in this order,
    `--no-loadscope-reorder`); last, it ran alone for minutes at the end of every pass.
    (trylast: after pytest-django's own ordering.)"""
    for item in items:
        if _transactional(item):
            marker = item.get_closest_marker("django_db")
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True}
            item.add_marker(pytest.mark.django_db(**kwargs, serialized_rollback=True), False)
    items.sort(key=lambda item: 0 if item.nodeid.startswith("tests/test_api_fuzz.py") else 1)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # After the last test the session's fixtures are gone (the test database too): nothing
    # follows that could need the rows.
    if nextitem is None or not _transactional(item):
        return
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for conn in connections.all():
            contents = getattr(conn, "_test_serialized_contents", None)
            if contents:
                conn.creation.deserialize_db_from_string(contents)
