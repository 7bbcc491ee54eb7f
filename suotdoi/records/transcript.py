"""The PDF transcript: HTML rendered by WeasyPrint with fonts that cover Vietnamese."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from suotdoi.core.pdf import render_pdf

from .models import NOT_COUNTING, LearningEntry
from .selectors import record_summary


def transcript_pdf(*, person, base_url: str) -> bytes:
    entries = (
        LearningEntry.objects.filter(person=person)
        .exclude(status__in=NOT_COUNTING)
        .select_related("unit")
        .order_by("start_date", "id")
    )
    year = timezone.localdate().year
    html = render_to_string(
        "records/transcript.html",
        {
            "person": person,
            "entries": entries,
            "summary": record_summary(person=person, year=year),
            "year": year,
            "now": timezone.localtime(),
        },
    )
    return render_pdf(html, base_url=base_url)
