"""Numbers computed from the learning record for a person and a year, with the entries behind
them (so the self-assessment shows its sources)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum

from suotdoi.records.models import EntryKind, EntryStatus, LearningEntry

from .models import Metric

SOURCES_SHOWN = 20


def _entries(person, year: int):
    return LearningEntry.objects.filter(
        person=person, status=EntryStatus.VERIFIED, start_date__year=year
    )


def metric_value(metric: str, person, year: int) -> tuple[Decimal, list[int]]:
    entries = _entries(person, year)
    if metric == Metric.HOURS:
        total = entries.aggregate(h=Sum("hours"))["h"] or Decimal("0")
        return Decimal(total), list(
            entries.order_by("-hours").values_list("pk", flat=True)[:SOURCES_SHOWN]
        )
    if metric == Metric.COURSES:
        qs = entries.filter(kind=EntryKind.COURSE)
    elif metric == Metric.SESSIONS:
        qs = entries.filter(kind=EntryKind.SESSION)
    elif metric == Metric.DIGITAL:
        qs = entries.filter(Q(tags__code="digital") | Q(tags__framework="tt02-2025")).distinct()
    elif metric == Metric.ENTRIES:
        qs = entries
    elif metric == Metric.QUIZ:
        from suotdoi.campaigns.selectors import quiz_passes_of

        return Decimal(quiz_passes_of(person=person, year=year)), []
    else:
        return Decimal("0"), []
    ids = list(qs.values_list("pk", flat=True))
    return Decimal(len(ids)), ids[:SOURCES_SHOWN]
