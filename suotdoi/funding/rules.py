"""A fund's rules, each one a sentence an officer can read: who may receive credit, which
courses it pays for and how much, and the fraud checks that hold a payment for a second
officer."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from suotdoi.core.errors import ValidationFailed
from suotdoi.core.vn import format_vnd

from .models import Fund, Spend

MAX_FUND_AMOUNT = 10**12  # a thousand billion đồng per person or course: beyond any real fund


def whole_dong(value) -> int:
    """Money is whole đồng: 150000, never 150000.5, never negative, never absurd."""
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            text = str(value).strip()
            if not text.isdigit():
                raise ValueError
            value = int(text)
        except (ValueError, TypeError):
            raise ValidationFailed(_("An amount is a whole number of đồng.")) from None
    if value <= 0:
        raise ValidationFailed(_("An amount is more than zero."))
    if value > MAX_FUND_AMOUNT:
        raise ValidationFailed(_("That amount is too large."))
    return value


def check_fund_fields(f: dict) -> None:
    f["per_person"] = whole_dong(f.get("per_person"))
    if f.get("per_course_max"):
        f["per_course_max"] = whole_dong(f["per_course_max"])
    if not 0 <= int(f.get("copay_pct") or 0) <= 90:
        raise ValidationFailed(_("The learner's share is between 0 and 90%."))
    if not 1 <= int(f.get("credit_days") or 365) <= 3660:
        raise ValidationFailed(_("Credit lasts between 1 day and 10 years."))
    from suotdoi.organisations.models import IncomeGroup, OccupationGroup

    for key, choices in (
        ("occupation_groups", OccupationGroup.values),
        ("income_groups", IncomeGroup.values),
    ):
        values = f.get(key) or []
        if not isinstance(values, list) or any(v not in choices for v in values):
            raise ValidationFailed(_("Choose groups from the list."))
        f[key] = sorted(set(values))
    lo, hi = f.get("min_age"), f.get("max_age")
    if lo is not None and hi is not None and lo > hi:
        raise ValidationFailed(_("The age range is upside down."))


def describe(fund: Fund) -> list[str]:
    """The fund's rules in words, as its page shows them."""
    from suotdoi.organisations.models import IncomeGroup, OccupationGroup

    out = [
        _("Each eligible person receives %(amount)s, valid %(days)s days.")
        % {"amount": format_vnd(fund.per_person), "days": fund.credit_days},
        _("For active members of %(unit)s and the units below it.") % {"unit": fund.unit.name},
    ]
    if fund.min_age is not None or fund.max_age is not None:
        out.append(
            _("Aged %(lo)s to %(hi)s.") % {"lo": fund.min_age or 0, "hi": fund.max_age or "…"}
        )
    if fund.occupation_groups:
        out.append(
            _("Only members whose record names one of these occupation groups: %(g)s.")
            % {"g": "; ".join(str(OccupationGroup(v).label) for v in fund.occupation_groups)}
        )
    if fund.income_groups:
        out.append(
            _("Only members whose record names one of these households: %(g)s.")
            % {"g": "; ".join(str(IncomeGroup(v).label) for v in fund.income_groups)}
        )
    if fund.list_only:
        n = fund.list_entries.count()
        out.append(
            ngettext(
                "Only the %(n)s person on the fund's list.",
                "Only the %(n)s people on the fund's list.",
                n,
            )
            % {"n": n}
        )
    names = [p.unit.name for p in fund.providers.select_related("unit")]
    out.append(
        _("Pays only for courses of vetted providers: %(names)s.") % {"names": ", ".join(names)}
        if names
        else _("No provider is vetted yet: nothing can be paid.")
    )
    if fund.categories:
        out.append(_("Course categories: %(c)s.") % {"c": ", ".join(fund.categories)})
    titles = list(fund.courses.values_list("title", flat=True)[:50])
    if titles:
        out.append(_("Only these courses: %(t)s.") % {"t": "; ".join(titles)})
    if fund.copay_pct:
        out.append(_("The learner pays %(p)s%% of the price.") % {"p": fund.copay_pct})
    if fund.per_course_max:
        out.append(_("At most %(a)s for one course.") % {"a": format_vnd(fund.per_course_max)})
    out += [
        _(
            "The fund pays the catalogue's price, never more; it is held when the learner "
            "confirms with a code sent to their phone."
        ),
        _("The provider is paid only once the course is completed in the learner's record."),
        _(
            "A payment waits for a second officer when a check fires: a course completed faster "
            "than its length; many spends made by one officer for others in a day; many learners "
            "from one address in a day; a sudden rush of spends at one provider; a learner who "
            "did not attend three funded courses in half a year."
        ),
    ]
    return out


def _age(dob: dt.date, today: dt.date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def _membership_rule(fund: Fund) -> Q:
    """The membership that makes a person eligible: active, in the fund's unit or below it,
    and, where the fund says so, of one of its occupation and income groups."""
    q = Q(unit_path__startswith=fund.unit.path, end_date__isnull=True)
    if fund.occupation_groups:
        q &= Q(occupation_group__in=fund.occupation_groups)
    if fund.income_groups:
        q &= Q(income_group__in=fund.income_groups)
    return q


def person_ineligible(fund: Fund, person) -> str | None:
    from suotdoi.organisations.models import Membership

    live = Membership.objects.filter(
        person=person, unit_path__startswith=fund.unit.path, end_date__isnull=True
    )
    if not live.exists():
        return _("Only active members of the fund's unit receive its credit.")
    if (fund.occupation_groups or fund.income_groups) and not live.filter(
        _membership_rule(fund)
    ).exists():
        return _(
            "This fund is for members whose record names one of its occupation or household "
            "groups; this person's does not."
        )
    if fund.list_only and not fund.list_entries.filter(person=person).exists():
        return _("This fund is only for the people on its list.")
    if fund.min_age is not None or fund.max_age is not None:
        if person.date_of_birth is None:
            return _("This fund has an age rule and the person's date of birth is not known.")
        age = _age(person.date_of_birth, timezone.localdate())
        if (fund.min_age is not None and age < fund.min_age) or (
            fund.max_age is not None and age > fund.max_age
        ):
            return _("This person's age is outside the fund's rule.")
    return None


def eligible_people(fund: Fund):
    from suotdoi.organisations.models import Membership
    from suotdoi.people.models import Person

    people = Person.objects.filter(
        pk__in=Membership.objects.filter(_membership_rule(fund)).values("person_id"),
        is_active=True,
    )
    if fund.list_only:
        people = people.filter(pk__in=fund.list_entries.values("person_id"))
    today = timezone.localdate()
    if fund.min_age is not None:
        latest = today.replace(year=today.year - fund.min_age)
        people = people.filter(date_of_birth__lte=latest)
    if fund.max_age is not None:
        earliest = today.replace(year=today.year - fund.max_age - 1) + dt.timedelta(days=1)
        people = people.filter(date_of_birth__gte=earliest)
    return people.order_by("pk")


def course_ineligible(fund: Fund, course) -> str | None:
    from suotdoi.catalog.models import Status

    if fund.status != Fund.OPEN:
        return _("This fund is closed.")
    if course.status != Status.PUBLISHED:
        return _("This course is not open for enrolment.")
    if not fund.providers.filter(pk=course.provider_id).exists():
        return _("This fund pays only for providers it has vetted.")
    if fund.categories and course.category not in fund.categories:
        return _("This fund does not pay for courses of this kind.")
    listed = fund.courses.all()
    if listed.exists() and not listed.filter(pk=course.pk).exists():
        return _("This fund pays only for the courses on its list.")
    if course.price <= 0:
        return _("This course is free: there is nothing to pay.")
    return None


def quote(fund: Fund, person, course, run=None) -> int:
    """What the fund pays for this course: its catalogue price less the learner's share,
    within the per-course limit. Refuses with the rule that is not met."""
    why = person_ineligible(fund, person) or course_ineligible(fund, course)
    if why:
        raise ValidationFailed(why)
    if run is not None and run.course_id != course.pk:
        raise ValidationFailed(_("Choose a run of the course."))
    amount = course.price * (100 - fund.copay_pct) // 100
    if fund.per_course_max:
        amount = min(amount, fund.per_course_max)
    if amount <= 0:
        raise ValidationFailed(_("This course is free: there is nothing to pay."))
    return amount


# --- fraud checks ---------------------------------------------------------------------------

OFFICER_SPENDS_A_DAY = 10
LEARNERS_PER_ORIGIN_A_DAY = 5
PROVIDER_RUSH_MIN = 20
NO_SHOWS_IN_HALF_A_YEAR = 3
NO_SHOW = "no-show"  # the reason the sweep gives when a course ended without completion


def flags_at_hold(spend: Spend) -> list[str]:
    since = timezone.now() - dt.timedelta(days=1)
    recent = Spend.objects.filter(fund=spend.fund, created_at__gte=since)
    flags = []
    if spend.made_by_id != spend.person_id and (
        recent.filter(made_by=spend.made_by).exclude(person=spend.made_by).count()
        > OFFICER_SPENDS_A_DAY
    ):
        flags.append("officer_many")
    if spend.origin and (
        recent.filter(origin=spend.origin).values("person").distinct().count()
        > LEARNERS_PER_ORIGIN_A_DAY
    ):
        flags.append("one_origin")
    # The learner's recent no-shows (any fund) and today's spends at this provider: one query.
    no_show = Q(
        person=spend.person_id,
        status=Spend.RELEASED,
        reason=NO_SHOW,
        created_at__gte=timezone.now() - dt.timedelta(days=180),
    )
    at_provider = Q(fund=spend.fund_id, provider=spend.provider_id, created_at__gte=since)
    counts = Spend.objects.filter(no_show | at_provider).aggregate(
        no_shows=Count("pk", filter=no_show), today=Count("pk", filter=at_provider)
    )
    if counts["no_shows"] >= NO_SHOWS_IN_HALF_A_YEAR:
        flags.append("no_shows")
    today_n = counts["today"]
    if today_n > PROVIDER_RUSH_MIN:  # below it, no rush whatever the month was
        month = Spend.objects.filter(
            fund=spend.fund,
            provider=spend.provider,
            created_at__gte=since - dt.timedelta(days=30),
            created_at__lt=since,
        ).count()
        if today_n > 3 * month / 30:
            flags.append("provider_rush")
    return flags


def flags_at_settle(spend: Spend) -> list[str]:
    """A course completed faster than it can be: before its run ended, or an online course
    in less time than its length."""
    e = spend.enrolment
    if e.completed_at is None:
        return []
    if spend.run_id:
        if e.completed_at < spend.run.ends_at - dt.timedelta(minutes=30):
            return ["too_fast"]
        return []
    hours = float(spend.course.hours)
    if (e.completed_at - e.enrolled_at).total_seconds() < hours * 3600 * 0.5:
        return ["too_fast"]
    return []


FLAG_WORDS = {
    "officer_many": gettext_lazy("many spends made by one officer for others in a day"),
    "one_origin": gettext_lazy("many learners spending from one address in a day"),
    "provider_rush": gettext_lazy("a sudden rush of spends at this provider"),
    "too_fast": gettext_lazy("completed faster than the course can be done"),
    "no_shows": gettext_lazy("the learner did not attend three funded courses in half a year"),
}


def eligible_courses(fund: Fund, limit: int = 100):
    from suotdoi.catalog.models import Course, Status

    qs = Course.objects.filter(
        status=Status.PUBLISHED, provider__in=fund.providers.all(), price__gt=0
    ).filter(Q(audience_unit__isnull=True) | Q(audience_unit__path__startswith=fund.unit.path))
    if fund.categories:
        qs = qs.filter(category__in=fund.categories)
    if fund.courses.exists():
        qs = qs.filter(pk__in=fund.courses.values("pk"))
    return qs.select_related("provider__unit").order_by("title")[:limit]
