from django.utils.translation import gettext_lazy as _

from suotdoi.web.home import NavItem, NextStep, register_nav, register_next_steps, register_todos


def _nav(person):
    return [NavItem(label=_("Courses"), url_name="catalog:home", order=3)]


def _steps(person):
    return [
        NextStep(
            title=_("Find a course"),
            description=_("Courses and open resources from unions, learning centres and more."),
            url_name="catalog:home",
            order=5,
        )
    ]


def _todos(person):
    """Courses the person is taking: a class on a date, or an online course to go on with."""
    from django.urls import reverse
    from django.utils import timezone

    from suotdoi.web.home import Todo

    from .models import Enrolment

    now = timezone.now()
    items = []
    for e in (
        Enrolment.objects.filter(person=person, status__in=[Enrolment.ACTIVE, Enrolment.WAITLISTED])
        .select_related("course", "run")
        .order_by("-enrolled_at")[:10]
    ):
        url = reverse("catalog:course", args=[e.course_id])
        if e.status == Enrolment.WAITLISTED:
            detail = str(_("On the waiting list"))
        elif e.lessons_done:
            detail = str(_("Go on where you stopped"))
        else:
            detail = str(_("Not started yet"))
        if e.run is not None and e.run.ends_at > now:
            when = timezone.localtime(e.run.starts_at) if e.run.starts_at > now else None
            detail = " · ".join(x for x in (e.run.place, detail) if x)
        else:
            when = None
        items.append(
            Todo(kind=str(_("Course")), title=e.course.title, url=url, when=when, detail=detail)
        )
    return items


register_nav(_nav)
register_next_steps(_steps)
register_todos(_todos)


def _unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    if not can(actor, unit, Capability.MANAGE_MEMBERS):
        return None
    from .models import Provider

    provider = Provider.objects.filter(unit=unit).first()
    return render_to_string("catalog/_unit_panel.html", {"unit": unit, "provider": provider})


from suotdoi.web.panels import register_unit_panel  # noqa: E402

register_unit_panel(_unit_panel)
