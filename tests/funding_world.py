"""A published course with a price from the grassroots union's provider, and a fund of the
union that vets it, filled and ready to grant: what the learning-account tests start from."""

from __future__ import annotations

from decimal import Decimal


def paid_course(people, units, *, title="Kỹ năng số", price=400_000, hours="6"):
    from suotdoi.catalog import actions as catalog

    chair = people["grassroots_chair"]
    provider = catalog.provider_enable(actor=chair, unit=units["grassroots"])
    course = catalog.course_create(
        actor=chair,
        provider=provider,
        title=title,
        summary="Cho công nhân",
        category="digital",
        format="external",
        hours=Decimal(hours),
        price=price,
        external_url="https://hoc.example.vn",
    )
    return catalog.course_publish(actor=chair, course=course)


def fund_for(people, units, course, *, per_person=1_000_000, deposit=5_000_000, **rules):
    from suotdoi.funding import actions

    chair = people["grassroots_chair"]
    fund = actions.fund_create(
        actor=chair,
        unit=units["grassroots"],
        name="Quỹ học tập",
        per_person=per_person,
        providers=[course.provider],
        **rules,
    )
    actions.fund_deposit(actor=chair, fund=fund, amount=deposit, key="start")
    return fund
