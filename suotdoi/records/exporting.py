"""The whole record as JSON the learner can take away."""

from __future__ import annotations

from django.utils import timezone

from .models import LearningEntry


def record_as_json(*, person) -> dict:
    entries = (
        LearningEntry.objects.filter(person=person)
        .select_related("unit", "supersedes")
        .prefetch_related("tags")
        .order_by("start_date", "id")
    )
    return {
        "format": "suotdoi.learning-record/1",
        "exported_at": timezone.now().isoformat(),
        "person": {
            "full_name": person.full_name,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        },
        "entries": [
            {
                "id": e.pk,
                "title": e.title,
                "kind": e.kind,
                "start_date": e.start_date.isoformat(),
                "end_date": e.end_date.isoformat() if e.end_date else None,
                "hours": str(e.hours),
                "credits": str(e.credits) if e.credits is not None else None,
                "competences": [t.code for t in e.tags.all()],
                "provenance": e.provenance,
                "status": e.status,
                "unit": {"code": e.unit.code, "name": e.unit.name} if e.unit else None,
                "issued_by": e.issued_by or None,
                "verified_at": e.verified_at.isoformat() if e.verified_at else None,
                "evidence_url": e.evidence_url or None,
                "supersedes": e.supersedes_id,
            }
            for e in entries
        ],
    }
