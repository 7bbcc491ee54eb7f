"""What a learning entry may contain: the checks shared by forms, the API and other apps."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suotdoi.core.vn import hours_text

from .errors import InvalidEntry

MAX_HOURS_PER_DAY = Decimal("24")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": b"%PDF",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG",
}
_MARKUP = re.compile(r"[<>]")


def check_entry(
    *, title: str, start_date: dt.date, end_date: dt.date | None, hours: Decimal
) -> None:
    errors = []
    if not title or len(title.strip()) < 2:
        errors.append(_("Give the learning a title."))
    elif _MARKUP.search(title):
        errors.append(_("The title cannot contain < or >."))
    today = timezone.localdate()
    if start_date > today or (end_date and end_date > today):
        errors.append(_("Learning cannot be recorded for a date in the future."))
    if end_date and end_date < start_date:
        errors.append(_("The end date is before the start date."))
    if start_date.year < 1950:
        errors.append(_("Please check the year."))
    days = max(1, ((end_date or start_date) - start_date).days + 1)
    if hours < 0:
        errors.append(_("Hours cannot be negative."))
    elif hours > MAX_HOURS_PER_DAY * days:
        errors.append(
            ngettext(
                "%(hours)s hours in %(days)s day is more than 24 hours a day.",
                "%(hours)s hours in %(days)s days is more than 24 hours a day.",
                days,
            )
            % {"hours": hours_text(hours), "days": days}
        )
    if errors:
        raise InvalidEntry(" ".join(errors))


def check_evidence(name: str, size: int, head: bytes) -> None:
    """Evidence: PDF or photo, at most 10 MB, and the content must match the extension."""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if size > MAX_EVIDENCE_BYTES:
        raise InvalidEntry(
            _("The evidence file is %(size)s MB; the limit is 10 MB.")
            % {"size": round(size / 1048576, 1)}
        )
    magic = EVIDENCE_TYPES.get(ext)
    if magic is None or not head.startswith(magic):
        raise InvalidEntry(_("Evidence must be a PDF, JPG or PNG file."))
