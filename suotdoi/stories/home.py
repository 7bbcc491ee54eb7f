"""Where stories show: consents a person is asked for among their to-dos; the unit page's
link to its stories."""

from django.utils.translation import gettext_lazy as _

from suotdoi.web.home import register_todos


def _todos(person):
    from django.db.models import Q
    from django.urls import reverse

    from suotdoi.web.home import Todo

    from .models import Story

    asked = Story.objects.filter(status=Story.ASKED).filter(
        Q(guardian=person) | Q(subject=person, guardian__isnull=True)
    )
    return [
        Todo(
            kind=str(_("Consent to a story")),
            title=s.title,
            url=reverse("stories:consent", args=[s.pk]),
        )
        for s in asked.order_by("-created_at")[:3]
    ]


register_todos(_todos)


def unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    if not can(actor, unit, Capability.MANAGE_MEMBERS):
        return None
    return render_to_string("stories/_unit_panel.html", {"unit": unit})
