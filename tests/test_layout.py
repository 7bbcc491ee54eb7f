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


def test_numbers_in_attributes_are_never_localised():
    """With Vietnamese number grouping an id above 999 renders "1.234" and a year "2.026": a
    form value or a link built that way names nothing. Ids, years and counts go into attributes
    through |stringformat (or the url tag, which does not localise)."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parent.parent / "suotdoi"
    bare = re.compile(
        r'(value|content)="[^"{]*\{\{ [a-z_.]+\.(pk|id|[a-z_]*_id|year|width|height) \}\}'
        r'|value="\{\{ (y|year) \}\}"'
        r"|[?&][a-z_]+=[a-z]*:?\{\{ [a-z_.]+\.(pk|id) \}\}"
    )
    found = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if bare.search(line)
    ]
    assert not found, found
