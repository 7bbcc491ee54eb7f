"""A notification's words, kept as a message id and its parameters so that each reader sees
them in the language they read now, not the one they had when it was written.

    notify(recipient=p, kind="entry.verified",
           title=Say(gettext_noop("Your learning was verified: %(title)s"), title=e.title),
           body=Say(gettext_noop("%(unit)s confirmed %(hours)s hours."),
                    unit=e.unit.name, hours=Hours(e.hours)))

Parameters are names and user text (shown as written), or tagged values rendered in the
reader's conventions: `Hours` (2,5 / 2.5), `Day` (a date), `At` (a moment) and `Term` (a
translatable word, such as a role's name). A plain string body (a reason someone typed)
needs no `Say`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import formats, translation
from django.utils.translation import gettext


def Hours(value) -> dict:  # noqa: N802 - reads as a type at call sites
    return {"hours": str(value)}


def Day(value: dt.date) -> dict:  # noqa: N802
    return {"day": value.isoformat()}


def At(value: dt.datetime) -> dict:  # noqa: N802
    """A moment, shown in local time as hours:minutes day/month/year."""
    return {"at": value.isoformat()}


def Term(label) -> dict:  # noqa: N802
    """A lazily translated label (a choice's name): stored as its message id."""
    with translation.override(None):
        return {"term": str(label)}


@dataclass(frozen=True)
class Say:
    msgid: str
    params: dict = field(default_factory=dict)

    def __init__(self, msgid: str, /, **params):
        object.__setattr__(self, "msgid", str(msgid))
        object.__setattr__(self, "params", params)

    def stored(self) -> dict:
        return {"m": self.msgid, "p": self.params}


def _value(v) -> str:
    if isinstance(v, dict):
        if "hours" in v:
            from suotdoi.core.vn import hours_text

            return hours_text(v["hours"])
        if "day" in v:
            try:
                return formats.date_format(dt.date.fromisoformat(v["day"]), "SHORT_DATE_FORMAT")
            except ValueError:
                return str(v["day"])
        if "at" in v:
            from django.utils import timezone

            try:
                moment = timezone.localtime(dt.datetime.fromisoformat(v["at"]))
            except ValueError:
                return str(v["at"])
            return moment.strftime("%H:%M %d/%m/%Y")
        if "term" in v:
            return gettext(v["term"])
    return str(v)


def render(stored: dict | None, fallback: str = "") -> str:
    """The stored message in the active language; the fallback text if there is none or the
    stored form no longer fits its message (a placeholder renamed since)."""
    if not stored or "m" not in stored:
        return fallback
    params = {k: _value(v) for k, v in (stored.get("p") or {}).items()}
    try:
        return gettext(stored["m"]) % params if params else gettext(stored["m"])
    except (KeyError, TypeError, ValueError):
        return fallback


def words(value) -> tuple[str, dict | None]:
    """(text in the active language, stored form or None) for a `Say` or a plain string."""
    if isinstance(value, Say):
        stored = value.stored()
        return render(stored, value.msgid), stored
    return str(value or ""), None
