"""The transcript of recognised credit (PDF), and the credit reports of a provider and of a
unit's subtree (a province)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from suotdoi.core.pdf import render_pdf

from . import selectors
from .models import CreditAward, Following, RplClaim, RplRequest


def transcript_pdf(*, person, base_url: str) -> bytes:
    """Every recognised credit with its provider, date, grade and level; credit-equivalents
    apart; each programme followed, with its progress."""
    following = Following.objects.filter(person=person).select_related("programme__provider__unit")
    html = render_to_string(
        "credits/transcript.html",
        {
            "person": person,
            "acc": selectors.account(person, limit=None),
            "progress": [
                (f.programme, selectors.progress_of(person, f.programme)) for f in following
            ],
            "now": timezone.localtime(),
        },
    )
    return render_pdf(html, base_url=base_url)


def report(*, providers=None, unit=None, since: dt.date | None = None) -> dict:
    """Credits granted (by kind and provider), RPL requests and their outcomes, and the time
    from request to decision — for some providers, or for the people of a unit's subtree."""
    awards = CreditAward.objects.filter(selectors.COUNTING)
    requests = RplRequest.objects.all()
    if providers is not None:
        awards = awards.filter(provider__in=providers)
        requests = requests.filter(programme__provider__in=providers)
    if unit is not None:
        from suotdoi.organisations.models import Membership

        people = Membership.objects.filter(
            unit_path__startswith=unit.path, end_date__isnull=True
        ).values("person_id")
        awards = awards.filter(person_id__in=people)
        requests = requests.filter(person_id__in=people)
    if since is not None:
        awards = awards.filter(awarded_on__gte=since)
        requests = requests.filter(created_at__date__gte=since)
    by_provider = list(
        awards.values("provider__unit__name")
        .annotate(
            course=Sum("credits", filter=Q(kind=CreditAward.COURSE), default=Decimal(0)),
            rpl=Sum("credits", filter=Q(kind=CreditAward.RPL), default=Decimal(0)),
            people=Count("person", distinct=True),
        )
        .order_by("provider__unit__name")
    )
    totals = awards.aggregate(
        course=Sum("credits", filter=Q(kind=CreditAward.COURSE), default=Decimal(0)),
        rpl=Sum("credits", filter=Q(kind=CreditAward.RPL), default=Decimal(0)),
        people=Count("person", distinct=True),
    )
    outcomes = dict(
        requests.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    decided = requests.filter(decided_at__isnull=False).annotate(
        wait=ExpressionWrapper(F("decided_at") - F("created_at"), output_field=DurationField())
    )
    waits = sorted(w for w in decided.values_list("wait", flat=True) if w is not None)
    claims = RplClaim.objects.filter(request__in=requests, granted__isnull=False).aggregate(
        asked=Sum("module__credits", default=Decimal(0)),
        granted=Sum("granted", default=Decimal(0)),
        n=Count("pk"),
    )
    return {
        "by_provider": by_provider,
        "totals": totals,
        "outcomes": outcomes,
        "requests": sum(outcomes.values()),
        "decided": len(waits),
        "median_days": round(waits[len(waits) // 2].total_seconds() / 86400, 1) if waits else None,
        "longest_days": round(waits[-1].total_seconds() / 86400, 1) if waits else None,
        "claims": claims,
    }
