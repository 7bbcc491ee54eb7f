"""Pure rules of periodic reports: what a form may contain, how a consolidation adds up, the
ratios, and what a unit must explain before it submits. No database here."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

KINDS = ("computed", "typed", "ratio", "text")
# How far a figure may move from the previous period before the unit explains it.
DEVIATION_SHARE = Decimal("0.5")
DEVIATION_MIN = Decimal("10")
MAX_VALUE = Decimal("1e15")


def dec(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def additive(items) -> list[str]:
    """The codes whose figures add up the tree: computed and typed ones."""
    return [i["code"] for i in items if i["kind"] in ("computed", "typed")]


def form_problems(sections, sources) -> list[str]:
    """What is wrong with a form's structure: unknown kinds or sources, repeated codes, ratios
    of figures the form does not have."""
    out: list[str] = []
    seen: set[str] = set()
    items = [i for s in sections for i in s.get("items", [])]
    for item in items:
        code = item.get("code", "")
        if not code or code in seen:
            out.append(_("Item code “%(code)s” is empty or repeated.") % {"code": code})
        seen.add(code)
        if item.get("kind") not in KINDS:
            out.append(_("Item “%(code)s” has an unknown kind.") % {"code": code})
        if item.get("kind") == "computed" and item.get("source") not in sources:
            out.append(_("Item “%(code)s” asks for an unknown figure.") % {"code": code})
    adds = set(additive(items))
    for item in items:
        if item.get("kind") == "ratio" and not {item.get("num"), item.get("den")} <= adds:
            out.append(
                _("Ratio “%(code)s” divides figures the form lacks.") % {"code": item["code"]}
            )
    return out


def consolidate(items, own: dict, children: list[dict]) -> dict[str, str]:
    """A report's consolidated figures: its own rows plus each accepted child's consolidation,
    code by code, for every additive item."""
    out: dict[str, str] = {}
    for code in additive(items):
        total = dec(own.get(code)) + sum((dec(c.get(code)) for c in children), Decimal(0))
        out[code] = str(total)
    return out


def ratio(item, values: dict) -> Decimal | None:
    den = dec(values.get(item["den"]))
    if not den:
        return None
    q = Decimal("0.1") if item.get("scale", 100) != 1 else Decimal("0.01")
    return (dec(values.get(item["num"])) * item.get("scale", 100) / den).quantize(q)


def parse_value(raw: str) -> Decimal | None:
    """A figure typed in Vietnamese or English conventions ("1.234,5" or "1234.5"); None if it
    is not a number, negative or absurdly large."""
    text = (raw or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value >= MAX_VALUE:
        return None
    return value


def submit_problems(items, *, computed, values, notes, texts, previous) -> dict[str, str]:
    """Per item, what the unit must still do: fill a typed figure, explain a figure changed
    from what the system computed, explain a large move from the previous period."""
    out: dict[str, str] = {}
    for item in items:
        code, kind = item["code"], item["kind"]
        note = (notes.get(code) or "").strip()
        if kind == "typed" and values.get(code) in (None, ""):
            out[code] = _("Enter a figure (0 if there is none).")
        elif kind == "computed" and dec(values.get(code)) != dec(computed.get(code)) and not note:
            out[code] = _("Explain why the figure differs from the system's %(value)s.") % {
                "value": computed.get(code, "0")
            }
        elif kind in ("computed", "typed") and previous is not None and not note:
            before, now = dec(previous.get(code)), dec(values.get(code))
            moved = abs(now - before)
            if moved >= DEVIATION_MIN and moved > DEVIATION_SHARE * max(before, Decimal(1)):
                out[code] = _("Explain the change from the previous period (%(before)s).") % {
                    "before": previous.get(code, "0")
                }
    return out


def parse_sections(text: str) -> list[dict]:
    """A form's sections from the JSON an editor pasted, in the expected shape (sections with
    a number, a title and items; each item a code, a label and a kind), or ValidationFailed
    saying what is wrong."""
    import json

    from suotdoi.core.errors import ValidationFailed

    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ValidationFailed(_("The sections are not valid JSON."), code="bad_json") from exc
    fields = {"code", "label", "kind", "unit", "source", "num", "den", "scale"}
    ok = isinstance(data, list) and 0 < len(data) <= 30
    for section in data if ok else []:
        ok = ok and isinstance(section, dict) and isinstance(section.get("items"), list)
        ok = ok and isinstance(section.get("number"), str) and isinstance(section.get("title"), str)
        for item in section.get("items", []) if ok else []:
            ok = ok and isinstance(item, dict) and set(item) <= fields
            ok = ok and all(isinstance(item.get(k), str) for k in ("code", "label", "kind"))
            ok = ok and isinstance(item.get("scale", 1), int)
    if not ok:
        raise ValidationFailed(
            _(
                "Each section needs a number, a title and a list of items; each item a code, a "
                "label and a kind."
            ),
            code="bad_shape",
        )
    return data
