"""Campaigns in the API: launch one, follow its tasks down the tree, schedule sessions, record
attendance in bulk, read quiz results and reflections, report, and read the dashboard's
figures. The same access helpers as the pages: absent and forbidden are both 404."""

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from suotdoi.core.apitypes import QueryId, form_data_or_422
from suotdoi.core.errors import NotFound, ValidationFailed
from suotdoi.core.pagination import CursorPages
from suotdoi.organisations.access import access_unit_by_id, scope_q
from suotdoi.organisations.models import Unit
from suotdoi.organisations.policies import Capability

from . import actions, selectors
from .access import access_campaign, access_session, access_task, visible_roots
from .models import Campaign, QuizResult, Reflection, Task
from .schemas import (
    AttendanceBulkIn,
    AttendanceBulkOut,
    AttendanceOut,
    CampaignDetailOut,
    CampaignFiguresOut,
    CampaignIn,
    CampaignOut,
    LaunchOut,
    QuizResultOut,
    ReflectionOut,
    ReportIn,
    ReviewIn,
    SessionIn,
    SessionOut,
    TaskOut,
)

router = Router(tags=["campaigns"])

FIGURES = ("tasks", "done", "reported", "sessions", "attendees", "members", "quiz_passed",
           "reflections")  # fmt: skip


def _sum(rows: list[dict]) -> dict:
    total = {k: sum(r.get(k, 0) for r in rows) for k in FIGURES}
    total["attendance_pct"] = (
        round(100 * total["attendees"] / total["members"]) if total["members"] else 0
    )
    total["done_pct"] = round(100 * total["done"] / total["tasks"]) if total["tasks"] else 0
    return total


def _figures(campaign: Campaign, person) -> dict:
    """The whole campaign for the issuer's side; a partner's officers, their own tree."""
    all_roots = selectors.campaign_roots(campaign)
    roots = visible_roots(person, campaign, all_roots)
    if len(roots) == len(all_roots):
        return selectors.rollup(campaign=campaign, focus=None)
    return _sum([selectors.rollup(campaign=campaign, focus=r) for r in roots])


@router.get("/units/{unit_id}/campaigns", response=list[CampaignOut])
@paginate(CursorPages)
def campaign_list(request, unit_id: int):
    """The campaigns this unit issued."""
    unit = access_unit_by_id(request.auth, unit_id)
    return Campaign.objects.filter(issuer=unit)


@router.post("/units/{unit_id}/campaigns", response={201: CampaignOut}, summary="A draft")
def campaign_create(request, unit_id: int, payload: CampaignIn):
    from .forms import CampaignForm

    unit = access_unit_by_id(request.auth, unit_id, Capability.MANAGE_MEMBERS)
    data = form_data_or_422(CampaignForm(data=payload.dict(), unit=unit))
    return Status(201, actions.campaign_create(actor=request.auth, issuer=unit, **data))


@router.get("/campaigns/{campaign_id}", response=CampaignDetailOut)
def campaign_get(request, campaign_id: int):
    campaign = access_campaign(request.auth, campaign_id)
    campaign.figures = _figures(campaign, request.auth)
    return campaign


@router.post("/campaigns/{campaign_id}/launch", response=LaunchOut)
def campaign_launch(request, campaign_id: int):
    """Every target unit gets its task."""
    campaign = access_campaign(request.auth, campaign_id, Capability.MANAGE_MEMBERS)
    n = actions.campaign_launch(actor=request.auth, campaign=campaign)
    return {"campaign_id": campaign.pk, "tasks": n}


class FiguresFilter(Schema):
    focus: QueryId | None = None


@router.get(
    "/campaigns/{campaign_id}/figures",
    response=CampaignFiguresOut,
    summary="The dashboard: one row per unit one level below `focus` (default: the top of "
    "each tree the caller sees)",
)
def campaign_figures(request, campaign_id: int, filters: Query[FiguresFilter]):
    campaign = access_campaign(request.auth, campaign_id)
    roots = visible_roots(request.auth, campaign)
    if filters.focus is None:
        if len(roots) > 1:
            rows = selectors.root_rows(campaign=campaign, roots=roots)
            return {"campaign_id": campaign.pk, "focus_unit_id": None, "rows": _rows(rows)}
        focus = roots[0]
    else:
        focus = Unit.objects.filter(pk=filters.focus).first()
        if focus is None or not any(focus.path.startswith(r.path) for r in roots):
            raise NotFound()
    rows = selectors.dashboard_rows(campaign=campaign, focus=focus)
    return {"campaign_id": campaign.pk, "focus_unit_id": focus.pk, "rows": _rows(rows)}


def _rows(rows: list[dict]) -> list[dict]:
    return [
        {
            **{k: r.get(k, 0) for k in (*FIGURES, "attendance_pct", "done_pct")},
            "unit_id": r["unit"].pk,
            "unit_name": r["unit"].name,
            "lagging": r["done"] < r["tasks"],
        }
        for r in rows
    ]


class TaskFilter(Schema):
    done: bool | None = None
    reported: bool | None = None


@router.get("/campaigns/{campaign_id}/tasks", response=list[TaskOut])
@paginate(CursorPages)
def task_list(request, campaign_id: int, filters: Query[TaskFilter]):
    """The tasks of the units the caller may see."""
    campaign = access_campaign(request.auth, campaign_id)
    qs = Task.objects.filter(campaign=campaign).select_related("unit")
    q = scope_q(request.auth, Capability.VIEW, field="unit_path")
    if q is not None:
        qs = qs.filter(q)
    if filters.done is not None:
        qs = qs.filter(done=filters.done)
    if filters.reported is not None:
        qs = qs.filter(reported_at__isnull=not filters.reported)
    return qs


@router.get("/units/{unit_id}/tasks", response=list[TaskOut])
@paginate(CursorPages)
def unit_task_list(request, unit_id: int, filters: Query[TaskFilter]):
    """The tasks of launched campaigns given to this unit and the units below it."""
    unit = access_unit_by_id(request.auth, unit_id)
    qs = Task.objects.filter(
        unit_path__startswith=unit.path, campaign__status="launched"
    ).select_related("unit")
    if filters.done is not None:
        qs = qs.filter(done=filters.done)
    if filters.reported is not None:
        qs = qs.filter(reported_at__isnull=not filters.reported)
    return qs


@router.get("/tasks/{task_id}", response=TaskOut)
def task_get(request, task_id: int):
    return access_task(request.auth, task_id)


@router.post("/tasks/{task_id}/report", response=TaskOut, summary="Report to the level above")
def task_report(request, task_id: int, payload: ReportIn):
    task = access_task(request.auth, task_id, Capability.MANAGE_MEMBERS)
    return actions.task_report_submit(actor=request.auth, task=task, note=payload.note)


@router.get("/tasks/{task_id}/sessions", response=list[SessionOut])
@paginate(CursorPages)
def session_list(request, task_id: int):
    task = access_task(request.auth, task_id)
    return task.sessions.all()


@router.post("/tasks/{task_id}/sessions", response={201: SessionOut})
def session_create(request, task_id: int, payload: SessionIn):
    """Every member of the unit is invited, unless `invite_all` is false: then the members
    named in `invitees` are."""
    from suotdoi.organisations.bulk import members_by_reference

    task = access_task(request.auth, task_id, Capability.MANAGE_MEMBERS)
    data = payload.dict()
    refs = data.pop("invitees")
    invitees = members_by_reference(unit=task.unit, refs=refs) if refs else []
    if data["invite_all"] and invitees:
        raise ValidationFailed(_("Name invitees only when not every member is invited."))
    session = actions.session_create(actor=request.auth, task=task, invitees=invitees, **data)
    return Status(201, session)


@router.get("/sessions/{session_id}/attendance", response=list[AttendanceOut])
@paginate(CursorPages)
def attendance_list(request, session_id: int):
    session = access_session(request.auth, session_id, Capability.VIEW_MEMBERS)
    return session.attendance.select_related("person")


@router.post(
    "/sessions/{session_id}/attendance",
    response=AttendanceBulkOut,
    summary="Record up to 1000 attendees once the session has started (all or none; "
    "replays change nothing)",
)
def attendance_bulk(request, session_id: int, payload: AttendanceBulkIn):
    from suotdoi.organisations.bulk import members_by_reference

    session = access_session(request.auth, session_id)
    items = [a.dict() for a in payload.attendees]
    people = members_by_reference(unit=session.task.unit, refs=items)
    done = unchanged = 0
    with transaction.atomic():
        seen = set()
        for person, item in zip(people, items, strict=True):
            if person.pk in seen:
                continue
            seen.add(person.pk)
            _att, created = actions.attendance_record(
                actor=request.auth, session=session, person=person, method="api",
                status=item["status"],
            )  # fmt: skip
            done += created
            unchanged += not created
    return {"done": done, "unchanged": unchanged}


@router.get("/tasks/{task_id}/quiz-results", response=list[QuizResultOut])
@paginate(CursorPages)
def quiz_result_list(request, task_id: int):
    task = access_task(request.auth, task_id, Capability.VIEW_MEMBERS)
    return QuizResult.objects.filter(task=task).select_related("person")


class ReflectionFilter(Schema):
    status: str = ""


@router.get("/tasks/{task_id}/reflections", response=list[ReflectionOut])
@paginate(CursorPages)
def reflection_list(request, task_id: int, filters: Query[ReflectionFilter]):
    task = access_task(request.auth, task_id, Capability.MANAGE_MEMBERS)
    qs = Reflection.objects.filter(task=task).select_related("person")
    if filters.status in (Reflection.SUBMITTED, Reflection.ACCEPTED, Reflection.RETURNED):
        qs = qs.filter(status=filters.status)
    return qs


@router.post("/tasks/{task_id}/reflections/{reflection_id}/review", response=ReflectionOut)
def reflection_review(request, task_id: int, reflection_id: int, payload: ReviewIn):
    task = access_task(request.auth, task_id, Capability.MANAGE_MEMBERS)
    r = Reflection.objects.filter(pk=reflection_id, task=task).first()
    if r is None:
        raise NotFound()
    return actions.reflection_review(
        actor=request.auth, reflection=r, accept=payload.accept, comment=payload.comment
    )
