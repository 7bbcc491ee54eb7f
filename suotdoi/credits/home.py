"""Where credit shows on the home page: a next step toward a qualification for everyone, and
the requests waiting for an assessor among their to-dos."""

from django.utils.translation import gettext_lazy as _

from suotdoi.web.home import NextStep, register_next_steps, register_todos


def _steps(person):
    return [
        NextStep(
            title=_("Credits toward a qualification"),
            description=_(
                "Your recognised credits, programmes of accredited providers, and recognition "
                "of what you learned at work."
            ),
            url_name="credits:account",
            order=7,
        )
    ]


def _todos(person):
    """Requests for recognition waiting at providers where the person assesses."""
    from django.urls import reverse

    from suotdoi.organisations.access import scope_q
    from suotdoi.organisations.policies import Capability
    from suotdoi.web.home import Todo

    from .models import RplRequest

    scope = scope_q(person, Capability.EVALUATE, field="programme__provider__unit__path")
    if scope is None:  # platform staff: not an assessor by that alone
        return []
    waiting = (
        RplRequest.objects.filter(status__in=[RplRequest.SUBMITTED, RplRequest.APPEALED])
        .filter(scope)
        .exclude(person=person)
        .select_related("programme", "person")
        .order_by("created_at")[:5]
    )
    return [
        Todo(
            kind=str(_("Recognition to decide")),
            title=f"{r.person.full_name} — {r.programme.title}",
            url=reverse("credits:rpl", args=[r.pk]),
        )
        for r in waiting
    ]


register_next_steps(_steps)
register_todos(_todos)


def unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.catalog.models import Provider
    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    if not can(actor, unit, Capability.VIEW_MEMBERS):
        return None
    return render_to_string(
        "credits/_unit_panel.html",
        {"unit": unit, "is_provider": Provider.objects.filter(unit=unit).exists()},
    )
