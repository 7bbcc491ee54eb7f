"""What a provider reads about a package: one row per learner — their latest attempt's
status, score and time, how many attempts they made."""

from __future__ import annotations

from django.db.models import Count, Max, Sum

from .models import Attempt, Package


def learner_rows(package: Package, *, limit: int | None = None) -> list[dict]:
    latest = (
        Attempt.objects.filter(package=package)
        .values("person")
        .annotate(n=Count("id"), last=Max("number"))
        .order_by()
    )
    counts = {r["person"]: (r["n"], r["last"]) for r in latest}
    # Score, time and last activity from the items: commits write only their item's row.
    attempts = (
        Attempt.objects.filter(package=package)
        .select_related("person")
        .annotate(
            item_score=Max("states__score"),
            item_seconds=Sum("states__seconds"),
            last_commit=Max("states__updated_at"),
        )
        .order_by("person__full_name", "person_id", "-number")
    )
    rows, seen = [], set()
    best: dict[int, float] = {}
    for a in (
        Attempt.objects.filter(package=package)
        .values("pk", "person")
        .annotate(s=Max("states__score"))
        .filter(s__isnull=False)
    ):
        best[a["person"]] = max(best.get(a["person"], -1), a["s"])
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
                "score_pct": round(a.item_score * 100) if a.item_score is not None else None,
                "best_pct": round(best[a.person_id] * 100) if a.person_id in best else None,
                "minutes": round((a.item_seconds or 0) / 60),
                "attempts": n,
                "updated_at": max(filter(None, [a.updated_at, a.last_commit])),
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
