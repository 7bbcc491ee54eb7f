"""A fund's rules, each one a sentence an officer can read: who may receive credit, which
courses it pays for and how much, and the fraud checks that hold a payment for a second
officer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from suotdoi.core import fastsql
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


NOT_A_MEMBER = gettext_lazy("Only active members of the fund's unit receive its credit.")


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
        return str(NOT_A_MEMBER)
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


def _course_refusal(fund: Fund, course, row) -> str | None:
    """Why the fund does not pay for this course, from the course as the database has it."""
    from suotdoi.catalog.models import Status

    status, price, category, vetted, listed_any, listed = row
    if fund.status != Fund.OPEN:
        return _("This fund is closed.")
    if status != Status.PUBLISHED:
        return _("This course is not open for enrolment.")
    if not vetted:
        return _("This fund pays only for providers it has vetted.")
    if fund.categories and category not in fund.categories:
        return _("This fund does not pay for courses of this kind.")
    if listed_any and not listed:
        return _("This fund pays only for the courses on its list.")
    if price <= 0:
        return _("This course is free: there is nothing to pay.")
    if price != course.price:  # the amount the learner confirmed is no longer right
        return _("The course's price has just changed: look at it again before you pay.")
    return None


@dataclass(frozen=True)
class Quote:
    """What a spend needs, read in one statement: the amount, the learner's and the fund's
    `held` accounts (ids; None when not made yet) and the checks' flags."""

    amount: int
    learner_account: int | None
    held_account: int | None
    flags: list[str]


def _spend_read(fund: Fund, person, course, made_by, origin: str):
    """The course as the database has it, the fund's lists, the person's live membership
    under the fund's unit, the two accounts, and the counts the checks need, each counted no
    further than its threshold (so a busy day costs no more than a quiet one). One plain
    statement: a spend's path (see suotdoi.core.fastsql)."""
    from django.db import connections, router

    from suotdoi.catalog.models import Course
    from suotdoi.organisations.models import Membership

    from .ledger import held_slot
    from .models import LedgerAccount

    conn = connections[router.db_for_write(Spend)]
    now = timezone.now()
    day = fastsql.moment(Spend, now - dt.timedelta(days=1))
    half_year = fastsql.moment(Spend, now - dt.timedelta(days=180))
    t = {
        "course": Course._meta.db_table,
        "vetted": Fund.providers.through._meta.db_table,
        "listed": Fund.courses.through._meta.db_table,
        "member": Membership._meta.db_table,
        "acc": LedgerAccount._meta.db_table,
        "spend": Spend._meta.db_table,
    }
    f, p = fund.pk, person.pk
    # Table names come from the models; every value is a parameter.
    sql = f"""
        SELECT c.status, c.price, c.category,
          EXISTS (SELECT 1 FROM {t["vetted"]} WHERE fund_id = %s AND provider_id = c.provider_id),
          EXISTS (SELECT 1 FROM {t["listed"]} WHERE fund_id = %s),
          EXISTS (SELECT 1 FROM {t["listed"]} WHERE fund_id = %s AND course_id = c.id),
          EXISTS (SELECT 1 FROM {t["member"]}
                  WHERE person_id = %s AND end_date IS NULL AND unit_path LIKE %s),
          (SELECT id FROM {t["acc"]} WHERE fund_id = %s AND kind = %s AND person_id = %s),
          (SELECT id FROM {t["acc"]} WHERE fund_id = %s AND kind = %s AND slot = %s
                  AND person_id IS NULL AND provider_id IS NULL),
          (SELECT COUNT(*) FROM (SELECT 1 FROM {t["spend"]} WHERE person_id = %s
                  AND status = %s AND reason = %s AND created_at >= %s LIMIT %s) AS n),
          (SELECT COUNT(*) FROM (SELECT 1 FROM {t["spend"]} WHERE fund_id = %s
                  AND made_by_id = %s AND person_id <> %s AND created_at >= %s LIMIT %s) AS o),
          (SELECT COUNT(*) FROM (SELECT DISTINCT person_id FROM {t["spend"]} WHERE fund_id = %s
                  AND origin = %s AND person_id <> %s AND created_at >= %s LIMIT %s) AS a)
        FROM {t["course"]} c WHERE c.id = %s"""  # noqa: S608
    maker = made_by.pk if made_by is not None else p
    params = [
        *(f, f, f, p, f"{fund.unit.path}%"),
        *(f, LedgerAccount.LEARNER, p, f, LedgerAccount.HELD, held_slot(person)),
        *(p, Spend.RELEASED, NO_SHOW, half_year, NO_SHOWS_IN_HALF_A_YEAR),
        *(f, maker, maker, day, OFFICER_SPENDS_A_DAY),
        *(f, origin or None, p, day, LEARNERS_PER_ORIGIN_A_DAY),
        course.pk,
    ]
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def spend_quote(fund: Fund, person, course, run=None, *, made_by=None, origin="") -> Quote:
    """What the fund pays for this course (its catalogue price less the learner's share,
    within the per-course limit), with what a spend needs besides. Refuses with the rule that
    is not met."""
    row = _spend_read(fund, person, course, made_by, origin)
    if row is None:
        raise ValidationFailed(_("This course is not open for enrolment."))
    member, learner_acc, held_acc, no_shows, for_others, from_origin = row[6:]
    if not member:
        raise ValidationFailed(str(NOT_A_MEMBER))
    more_rules = fund.occupation_groups or fund.income_groups or fund.list_only
    if more_rules or fund.min_age is not None or fund.max_age is not None:
        why = person_ineligible(fund, person)  # the rest of the person's rules
    else:
        why = None
    why = why or _course_refusal(fund, course, row[:6])
    if why:
        raise ValidationFailed(why)
    if run is not None and run.course_id != course.pk:
        raise ValidationFailed(_("Choose a run of the course."))
    amount = course.price * (100 - fund.copay_pct) // 100
    if fund.per_course_max:
        amount = min(amount, fund.per_course_max)
    if amount <= 0:
        raise ValidationFailed(_("This course is free: there is nothing to pay."))
    flags = []
    # The counts leave out the spend being made: at the threshold, this one goes past it.
    if made_by is not None and made_by.pk != person.pk and for_others >= OFFICER_SPENDS_A_DAY:
        flags.append("officer_many")
    if origin and from_origin >= LEARNERS_PER_ORIGIN_A_DAY:
        flags.append("one_origin")
    if no_shows >= NO_SHOWS_IN_HALF_A_YEAR:
        flags.append("no_shows")
    return Quote(amount, learner_acc, held_acc, flags)


def quote(fund: Fund, person, course, run=None) -> int:
    return spend_quote(fund, person, course, run).amount


# --- fraud checks ---------------------------------------------------------------------------

OFFICER_SPENDS_A_DAY = 10
LEARNERS_PER_ORIGIN_A_DAY = 5
PROVIDER_RUSH_MIN = 20
NO_SHOWS_IN_HALF_A_YEAR = 3
NO_SHOW = "no-show"  # the reason the sweep gives when a course ended without completion


def provider_rush(spend: Spend) -> bool:
    """More than PROVIDER_RUSH_MIN spends at the provider in the day before this one was
    made, and more than three times the daily average of the thirty days before that. It is
    counted when the provider is to be paid (the payment is what waits for a second officer),
    not on every hold: a provider's busy day would make each hold count all of it."""
    end = spend.created_at
    since = end - dt.timedelta(days=1)
    at = Spend.objects.filter(fund=spend.fund_id, provider=spend.provider_id)
    day = at.filter(created_at__gt=since, created_at__lte=end).count()
    if day <= PROVIDER_RUSH_MIN:  # below it, no rush whatever the month was
        return False
    month = at.filter(created_at__gt=since - dt.timedelta(days=30), created_at__lte=since)
    return day > 3 * month.count() / 30


def flags_at_settle(spend: Spend) -> list[str]:
    """When the provider is to be paid: a rush of spends at the provider when this one was
    made, and a course completed faster than it can be (before its run ended, or an online
    course in less time than its length)."""
    flags = ["provider_rush"] if provider_rush(spend) else []
    e = spend.enrolment
    if e.completed_at is None:
        return flags
    if spend.run_id:
        if e.completed_at < spend.run.ends_at - dt.timedelta(minutes=30):
            flags.append("too_fast")
        return flags
    hours = float(spend.course.hours)
    if (e.completed_at - e.enrolled_at).total_seconds() < hours * 3600 * 0.5:
        flags.append("too_fast")
    return flags


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
