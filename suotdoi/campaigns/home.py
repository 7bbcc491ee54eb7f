from django.utils.translation import gettext_lazy as _

from suotdoi.organisations.access import grants_for
from suotdoi.web.home import NavItem, NextStep, register_nav, register_next_steps, register_todos


def _steps(person):
    if person.is_superuser or any(g.role != "member" for g in grants_for(person)):
        return [
            NextStep(
                title=_("Study campaigns"),
                description=_("Tasks for your units, sessions, attendance and reports."),
                url_name="campaigns:list",
                order=12,
            )
        ]
    return []


def _nav(person):
    if person.is_superuser or any(g.role != "member" for g in grants_for(person)):
        return [NavItem(label=_("Campaigns"), url_name="campaigns:list", order=8)]
    return [NavItem(label=_("Campaigns"), url_name="campaigns:mine", order=8)]


def _todos(person):
    """Sessions the person is invited to, and the quiz and reflection their units' running
    campaigns still ask of them (due when the campaign ends)."""
    from django.urls import reverse
    from django.utils import timezone

    from suotdoi.organisations.selectors import member_path_prefixes
    from suotdoi.web.home import Todo

    from .models import QuizResult, Reflection, Task
    from .selectors import upcoming_sessions_for

    prefixes = member_path_prefixes(person)
    if not prefixes:
        return []
    mine = reverse("campaigns:mine")
    items = [
        Todo(
            kind=str(_("Study session")),
            title=s.title,
            url=f"{mine}#task-{s.task_id}",
            when=timezone.localtime(s.starts_at),
            detail=" · ".join(x for x in (s.place, s.task.unit.name) if x),
        )
        for s in upcoming_sessions_for(person, prefixes=prefixes)
    ]
    today = timezone.localdate()
    tasks = list(
        Task.objects.filter(
            unit_path__in=prefixes, campaign__status="launched", campaign__ends_on__gte=today
        ).select_related("campaign")[:20]
    )
    if not tasks:
        return items
    passed = set(
        QuizResult.objects.filter(person=person, task__in=tasks, passed=True).values_list(
            "task_id", flat=True
        )
    )
    done = set(
        Reflection.objects.filter(person=person, task__in=tasks)
        .exclude(status=Reflection.RETURNED)
        .values_list("task_id", flat=True)
    )
    with_questions = set(
        Task.objects.filter(pk__in=[t.pk for t in tasks], campaign__questions__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    for t in tasks:
        if t.pk in with_questions and t.pk not in passed:
            items.append(
                Todo(
                    kind=str(_("Quiz")),
                    title=t.campaign.title,
                    url=reverse("campaigns:quiz", args=[t.pk]),
                    when=t.campaign.ends_on,
                    due=True,
                )
            )
        if t.campaign.reflection_required and t.pk not in done:
            items.append(
                Todo(
                    kind=str(_("Reflection")),
                    title=t.campaign.title,
                    url=reverse("campaigns:reflection", args=[t.pk]),
                    when=t.campaign.ends_on,
                    due=True,
                )
            )
    return items


register_next_steps(_steps)
register_nav(_nav)
register_todos(_todos)


def _unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    from .models import Task

    if not can(actor, unit, Capability.VIEW_MEMBERS):
        return None
    from .models import Campaign

    tasks = Task.objects.filter(unit=unit, campaign__status="launched").select_related("campaign")
    # The campaigns the unit itself launched come first: for a federation they are the point.
    issued = Campaign.objects.filter(issuer=unit).exclude(status="closed").order_by("-starts_on")
    return render_to_string(
        "campaigns/_unit_panel.html",
        {
            "unit": unit,
            "issued": issued[:10],
            "tasks": tasks[:10],
            "may_issue": can(actor, unit, Capability.MANAGE_MEMBERS),
        },
    )


from suotdoi.web.panels import register_unit_panel  # noqa: E402

register_unit_panel(_unit_panel)
