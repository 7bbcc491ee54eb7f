"""What a provider reads about a package: one row per learner — their latest attempt's
status, score and time, how many attempts they made."""

from __future__ import annotations

from django.db.models import Count, Max

from .models import Attempt, Package


def learner_rows(package: Package, *, limit: int | None = None) -> list[dict]:
    latest = (
        Attempt.objects.filter(package=package)
        .values("person")
        .annotate(n=Count("id"), last=Max("number"))
        .order_by()
    )
    counts = {r["person"]: (r["n"], r["last"]) for r in latest}
    attempts = (
        Attempt.objects.filter(package=package)
        .select_related("person")
        .order_by("person__full_name", "person_id", "-number")
    )
    rows, seen = [], set()
    best: dict[int, float] = {}
    for a in Attempt.objects.filter(package=package, score__isnull=False).values("person", "score"):
        best[a["person"]] = max(best.get(a["person"], -1), a["score"])
    for a in attempts.iterator():
        if a.person_id in seen:
            continue
        seen.add(a.person_id)
        n, _last = counts.get(a.person_id, (1, a.number))
        rows.append(
            {
                "person": a.person,
                "status": a.status,
                "status_label": a.get_status_display(),
                "score_pct": round(a.score * 100) if a.score is not None else None,
                "best_pct": round(best[a.person_id] * 100) if a.person_id in best else None,
                "minutes": round(a.seconds / 60),
                "attempts": n,
                "updated_at": a.updated_at,
                "ended_at": a.ended_at,
            }
        )
        if limit and len(rows) >= limit:
            break
    return rows


def course_packages(course) -> list[Package]:
    return list(
        Package.objects.filter(lesson__course=course)
        .annotate(learners=Count("attempts__person", distinct=True))
        .order_by("lesson__module__order", "lesson__order", "id")
    )
