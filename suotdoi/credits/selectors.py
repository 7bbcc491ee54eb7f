"""Reads of credit accumulation: whether a provider is accredited, a programme's rules as the
rules module reads them, a person's credit account (recognised credit, and credit-equivalents
apart) and their progress in a programme."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from . import rules
from .models import Accreditation, CreditAward, Programme, ProgrammeModule

COUNTING = Q(revoked_at__isnull=True) & (
    Q(credential__isnull=True) | Q(credential__revoked_at__isnull=True)
)


def is_accredited(provider, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        Accreditation.objects.filter(provider=provider, revoked_at__isnull=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exists()
    )


def rule_of(programme: Programme, modules=None) -> rules.ProgrammeRule:
    modules = list(modules if modules is not None else programme.modules.all())
    return rules.ProgrammeRule(
        min_credits=programme.min_credits,
        transfer_cap_pct=programme.transfer_cap_pct,
        modules=tuple(rules.ModuleRule(m.code, m.credits, m.mandatory) for m in modules),
        max_age_years=programme.max_result_age_years,
        yearly_cap=programme.yearly_cap,
        level=programme.vqf_level,
    )


def awards_of(person):
    """A person's recognised credit that counts (not revoked, nor its credential)."""
    return CreditAward.objects.filter(person=person).filter(COUNTING)


def lines_for(person, programme: Programme, *, excluding_request=None) -> list[rules.Line]:
    """The person's awards as lines of this programme: an award names its module (RPL), or its
    course fills one; a transfer is recognised earlier learning or another provider's credit."""
    module_of_course: dict[int, str] = {}
    for code, course_id in ProgrammeModule.objects.filter(programme=programme).values_list(
        "code", "courses"
    ):
        if course_id is not None:
            module_of_course.setdefault(course_id, code)
    awards = CreditAward.objects.filter(person=person)
    if excluding_request is not None:
        awards = awards.exclude(claim__request=excluding_request)
    lines = []
    for (
        pk, credits, awarded_on, module_id, module_code, module_programme, course_id, kind,
        provider_id, revoked_at, credential_revoked_at, expires_on,
    ) in awards.values_list(
        "pk", "credits", "awarded_on", "module_id", "module__code", "module__programme_id",
        "course_id", "kind", "provider_id", "revoked_at", "credential__revoked_at", "expires_on",
    ):  # fmt: skip
        if module_id and module_programme == programme.pk:
            module = module_code
        elif course_id:
            module = module_of_course.get(course_id)
        else:
            module = None
        lines.append(
            rules.Line(
                key=str(pk),
                credits=credits,
                awarded_on=awarded_on,
                module=module,
                transfer=kind == CreditAward.RPL or provider_id != programme.provider_id,
                revoked=revoked_at is not None or credential_revoked_at is not None,
                expires_on=expires_on,
            )
        )
    return lines


def progress_of(person, programme: Programme, *, rule=None, excluding_request=None):
    rule = rule or rule_of(programme)
    return rules.progress(
        rule,
        lines_for(person, programme, excluding_request=excluding_request),
        timezone.localdate(),
    )


def gap_courses(programme: Programme, progress: rules.Progress, limit: int = 20):
    """Published catalogue courses that would fill what is still missing."""
    from suotdoi.catalog.models import Course, Status

    open_modules = [
        m for m in programme.modules.all() if progress.by_module.get(m.code, 0) < m.credits
    ]
    return (
        Course.objects.filter(
            status=Status.PUBLISHED,
            pk__in=ProgrammeModule.courses.through.objects.filter(
                programmemodule__in=open_modules
            ).values("course_id"),
        )
        .select_related("provider__unit")
        .order_by("title")[:limit]
    )


def credit_equivalent_hours(person) -> Decimal:
    """Hours of learning that counts in the record and was verified or issued."""
    from suotdoi.records.models import NOT_COUNTING, EntryStatus, LearningEntry, Provenance

    return LearningEntry.objects.filter(person=person).exclude(status__in=NOT_COUNTING).filter(
        Q(status=EntryStatus.VERIFIED) | Q(provenance=Provenance.ISSUED)
    ).aggregate(h=Sum("hours"))["h"] or Decimal("0")


def account(person, limit: int | None = 50) -> dict:
    """The credit account as its page shows it: the latest recognised credits (every one when
    `limit` is None, as the transcript prints them), totals by area, by level and by year over
    all of them (one grouped query), and the credit-equivalents of verified hours, apart."""
    counting = awards_of(person)
    lines = (
        counting.select_related("provider__unit")
        .only(
            "title", "credits", "kind", "grade", "vqf_level", "expires_on", "awarded_on",
            "area", "provider__unit__name",
        )
        .order_by("-awarded_on", "-pk")
    )  # fmt: skip
    lines = list(lines if limit is None else lines[:limit])
    by_area: dict[str, Decimal] = {}
    by_level: dict[int | None, Decimal] = {}
    by_year: dict[int, Decimal] = {}
    count = 0
    for area, level, year, n, total in (
        counting.values_list("area", "vqf_level", "awarded_on__year")
        .annotate(n=Count("pk"), s=Sum("credits"))
        .order_by()
    ):
        by_area[area] = by_area.get(area, Decimal("0")) + total
        by_level[level] = by_level.get(level, Decimal("0")) + total
        by_year[year] = by_year.get(year, Decimal("0")) + total
        count += n
    hours = credit_equivalent_hours(person)
    return {
        "lines": lines,
        "count": count,
        "more": count - len(lines),
        "total": sum(by_year.values(), Decimal("0")),
        "by_area": sorted(by_area.items()),
        "by_level": sorted(by_level.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)),
        "by_year": sorted(by_year.items(), reverse=True),
        "hours": hours,
        "equivalent": rules.credit_equivalent(hours),
    }


def credits_by_person(*, start, end) -> dict[int, Decimal]:
    """Recognised credit awarded in [start, end] and not revoked, per person."""
    rows = (
        CreditAward.objects.filter(
            awarded_on__gte=start, awarded_on__lte=end, revoked_at__isnull=True
        )
        .values("person_id")
        .annotate(c=Sum("credits"))
        .order_by()
    )
    return {r["person_id"]: r["c"] for r in rows}
