"""Rooms a newcomer can find (#15): no module under suotdoi/ over 600 lines, except migrations
and seed data."""

from pathlib import Path

SEED_DATA = {"suotdoi/demo/world.py"}  # the demo world: names, companies, units — data


def test_no_module_over_600_lines():
    root = Path(__file__).resolve().parent.parent
    long = {}
    for path in (root / "suotdoi").rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if "/migrations/" in rel or rel in SEED_DATA:
            continue
        n = sum(1 for _ in path.open(encoding="utf-8"))
        if n > 600:
            long[rel] = n
    assert long == {}, "split these along their sections into a package of topic modules"
