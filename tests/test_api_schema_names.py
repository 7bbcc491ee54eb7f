"""Two input or output schemas of the API may not share a class name: the OpenAPI document
names components by class, so the second would silently describe the first's operations (a
`ModuleOut` of programmes once documented the catalogue's modules; schemathesis caught it)."""

from __future__ import annotations


def test_every_api_schema_has_its_own_name():
    from ninja import Schema

    from suotdoi.api.router import api  # noqa: F401 - mounts every router, importing them

    seen: dict[str, str] = {}
    clashes = []
    stack = list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("suotdoi."):
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__] != where:
            clashes.append((cls.__name__, seen[cls.__name__], where))
        seen.setdefault(cls.__name__, where)
    assert not clashes, clashes
