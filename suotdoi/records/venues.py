"""Learning venues: a printed QR poster; a logged-in learner who scans it gets a visit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core import signing
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.core.errors import NotFound
from suotdoi.organisations.models import Unit

from .actions import entry_record
from .models import EntryKind, LearningEntry, Provenance

_SALT = "suotdoi.venue-visit"
VISIT_HOURS = Decimal("1")


def venue_token(venue: Unit) -> str:
    """Printed on the poster; signed so a poster cannot be forged for another unit."""
    return signing.Signer(salt=_SALT).sign(str(venue.pk))


def access_venue_by_token(token: str) -> Unit:
    try:
        venue_id = int(signing.Signer(salt=_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise NotFound() from None
    venue = Unit.objects.select_related("unit_type").filter(pk=venue_id).first()
    if venue is None or not venue.unit_type.is_venue or not venue.is_active:
        raise NotFound()
    return venue


def venue_visit_record(*, actor, venue: Unit, on: dt.date | None = None):
    """One visit per person per venue per day; verified by the venue itself."""
    on = on or timezone.localdate()
    return entry_record(
        actor=actor,
        person=actor,
        source_key=f"visit:{venue.pk}:{actor.pk}:{on.isoformat()}",
        title=_("Visit to %(venue)s") % {"venue": venue.name},
        kind=EntryKind.VISIT,
        start_date=on,
        hours=VISIT_HOURS,
        provenance=Provenance.UNIT_VERIFIED,
        unit=venue,
        issued_by=venue.name,
    )


def venue_visitor_counts(*, venue: Unit, days: int = 14) -> list[dict]:
    since = timezone.localdate() - dt.timedelta(days=days - 1)
    return list(
        LearningEntry.objects.filter(unit=venue, kind=EntryKind.VISIT, start_date__gte=since)
        .values("start_date")
        .annotate(visitors=Count("id"))
        .order_by("-start_date")
    )
