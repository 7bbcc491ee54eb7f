"""The catalogue in the API: a provider's LMS creates and updates its courses, their content,
runs and open resources, enrols its members and reports completions in bulk. The same access
helpers as the pages: the provider unit's officers (`manage_members`) edit; publishing needs
`manage_units`, as on the page; anything else is 404."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from suotdoi.core.errors import Conflict, ValidationFailed
from suotdoi.core.pagination import CursorPages
from suotdoi.organisations.models import Unit
from suotdoi.organisations.policies import Capability

from . import actions
from .access import access_course, access_course_manage, access_provider
from .models import Course, CourseRun, Enrolment, Module, Provider
from .models import Status as CourseStatus
from .schemas import (
    BulkResultOut,
    CompletionBulkIn,
    CourseIn,
    CourseOut,
    CourseStateIn,
    CourseUpdateIn,
    EnrolBulkIn,
    EnrolmentOut,
    LessonIn,
    LessonOut,
    ModuleIn,
    ModuleOut,
    ProviderIn,
    ProviderOut,
    QuestionIn,
    QuestionOut,
    ResourceIn,
    ResourceOut,
    RunIn,
    RunOut,
)

router = Router(tags=["catalogue"])


def _provider(request, unit_id: int) -> Provider:
    unit = access_provider(request.auth, unit_id)
    provider = Provider.objects.filter(unit=unit).select_related("unit").first()
    if provider is None:
        raise Conflict(_("This unit is not a provider yet: turn the catalogue on for it first."))
    return provider


def _audience(provider: Provider, unit_id: int | None):
    """The unit a members-only course is for: the provider's or one below it. An absent unit
    and one of another tree get the same words."""
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id, path__startswith=provider.unit.path).first()
    if unit is None:
        raise ValidationFailed(
            _("A members-only course is for the provider's own unit or a unit below it.")
        )
    return unit


def _course_fields(provider: Provider, data: dict) -> dict:
    if "audience_unit_id" in data:
        data["audience_unit"] = _audience(provider, data.pop("audience_unit_id"))
    if "tags" in data:
        data["tags"] = [t.strip() for t in data["tags"] if t.strip()][:20]
    return data


@router.put(
    "/providers/{unit_id}",
    response=ProviderOut,
    summary="Turn the catalogue on for a unit (or change its description); idempotent",
)
def provider_put(request, unit_id: int, payload: ProviderIn):
    unit = access_provider(request.auth, unit_id)
    provider = actions.provider_enable(actor=request.auth, unit=unit, **payload.dict())
    return actions.provider_update(actor=request.auth, provider=provider, **payload.dict())


class CourseFilter(Schema):
    status: CourseStatus | None = None


@router.get("/providers/{unit_id}/courses", response=list[CourseOut])
@paginate(CursorPages)
def provider_course_list(request, unit_id: int, filters: Query[CourseFilter]):
    """Every course of the provider, in every state (the provider's officers)."""
    provider = _provider(request, unit_id)
    qs = Course.objects.filter(provider=provider).select_related("provider")
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


@router.post("/providers/{unit_id}/courses", response={201: CourseOut})
def course_create(request, unit_id: int, payload: CourseIn):
    provider = _provider(request, unit_id)
    course = actions.course_create(
        actor=request.auth, provider=provider, **_course_fields(provider, payload.dict())
    )
    return Status(201, course)


@router.get("/courses/{course_id}", response=CourseOut)
def course_get(request, course_id: int):
    """A published course anyone may see; a draft only for the provider's officers."""
    return access_course(request.auth, course_id)


@router.patch("/courses/{course_id}", response=CourseOut, summary="Change a course")
def course_update(request, course_id: int, payload: CourseUpdateIn):
    course = access_course_manage(request.auth, course_id)
    data = payload.dict(exclude_unset=True)
    for key, value in data.items():
        if value is None and key not in ("credits", "audience_unit_id"):
            raise ValidationFailed(errors=[{"field": key, "errors": [_("Required.")]}])
    return actions.course_update(
        actor=request.auth, course=course, **_course_fields(course.provider, data)
    )


@router.post("/courses/{course_id}/modules", response={201: ModuleOut})
def module_add(request, course_id: int, payload: ModuleIn):
    course = access_course_manage(request.auth, course_id)
    return Status(201, actions.module_add(actor=request.auth, course=course, title=payload.title))


@router.post("/courses/{course_id}/lessons", response={201: LessonOut})
def lesson_add(request, course_id: int, payload: LessonIn):
    course = access_course_manage(request.auth, course_id)
    module = Module.objects.filter(pk=payload.module_id, course=course).first()
    if module is None:
        raise ValidationFailed(errors=[{"field": "module_id", "errors": [_("Not found.")]}])
    lesson = actions.lesson_add(
        actor=request.auth,
        module=module,
        title=payload.title,
        kind=payload.kind,
        body=payload.body,
        url=payload.url,
        minutes=payload.minutes,
    )
    return Status(201, lesson)


@router.post("/courses/{course_id}/questions", response={201: QuestionOut})
def question_add(request, course_id: int, payload: QuestionIn):
    course = access_course_manage(request.auth, course_id)
    q = actions.question_add(
        actor=request.auth,
        course=course,
        kind=payload.kind,
        text=payload.text,
        choices=[c.dict() for c in payload.choices],
        answers=payload.answers,
        feedback=payload.feedback,
    )
    return Status(201, q)


@router.get("/courses/{course_id}/runs", response=list[RunOut])
@paginate(CursorPages)
def run_list(request, course_id: int):
    course = access_course(request.auth, course_id)
    return CourseRun.objects.filter(course=course)


@router.post("/courses/{course_id}/runs", response={201: RunOut})
def run_add(request, course_id: int, payload: RunIn):
    course = access_course_manage(request.auth, course_id)
    run = actions.run_add(actor=request.auth, course=course, **payload.dict())
    return Status(201, run)


@router.post("/courses/{course_id}/submit", response=CourseOut, summary="Hand in for review")
def course_submit(request, course_id: int):
    course = access_course_manage(request.auth, course_id)
    return actions.course_submit(actor=request.auth, course=course)


@router.post(
    "/courses/{course_id}/publish",
    response=CourseOut,
    summary="Publish (the reviewer: needs manage_units on the provider)",
)
def course_publish(request, course_id: int):
    course = access_course_manage(request.auth, course_id, Capability.MANAGE_UNITS)
    return actions.course_publish(actor=request.auth, course=course)


@router.post("/courses/{course_id}/withdraw", response=CourseOut, summary="Back to draft")
def course_withdraw(request, course_id: int, payload: CourseStateIn):
    course = access_course_manage(request.auth, course_id)
    return actions.course_return(actor=request.auth, course=course, comment=payload.comment)


class EnrolmentFilter(Schema):
    status: str = ""


@router.get("/courses/{course_id}/enrolments", response=list[EnrolmentOut])
@paginate(CursorPages)
def enrolment_list(request, course_id: int, filters: Query[EnrolmentFilter]):
    course = access_course_manage(request.auth, course_id)
    qs = Enrolment.objects.filter(course=course).select_related("person")
    if filters.status in (Enrolment.ACTIVE, Enrolment.WAITLISTED, Enrolment.CANCELLED,
                          Enrolment.COMPLETED):  # fmt: skip
        qs = qs.filter(status=filters.status)
    return qs


def _learners(course: Course, refs) -> list:
    from suotdoi.organisations.bulk import members_by_reference

    return members_by_reference(unit=course.provider.unit, refs=[r.dict() for r in refs])


@router.post(
    "/courses/{course_id}/enrolments/bulk",
    response=BulkResultOut,
    summary="Enrol up to 1000 members of the provider's unit (all or none; replays change nothing)",
)
def enrolment_bulk(request, course_id: int, payload: EnrolBulkIn):
    course = access_course_manage(request.auth, course_id)
    run = None
    if payload.run_id is not None:
        run = CourseRun.objects.filter(pk=payload.run_id, course=course).first()
        if run is None:
            raise ValidationFailed(errors=[{"field": "run_id", "errors": [_("Not found.")]}])
    people = _learners(course, payload.learners)
    return actions.enrol_many(actor=request.auth, course=course, people=people, run=run)


@router.post(
    "/courses/{course_id}/completions",
    response=BulkResultOut,
    summary="Report up to 1000 completions: each learner's record gets the course once",
)
def completion_bulk(request, course_id: int, payload: CompletionBulkIn):
    course = access_course_manage(request.auth, course_id)
    people = _learners(course, payload.learners)
    return actions.complete_many(actor=request.auth, course=course, people=people)


@router.get("/providers/{unit_id}/resources", response=list[ResourceOut])
@paginate(CursorPages)
def resource_list(request, unit_id: int):
    provider = _provider(request, unit_id)
    return provider.resources.all()


@router.post("/providers/{unit_id}/resources", response={201: ResourceOut})
def resource_add(request, unit_id: int, payload: ResourceIn):
    """An open resource by its address (files are uploaded on the page)."""
    provider = _provider(request, unit_id)
    r = actions.resource_add(actor=request.auth, provider=provider, **payload.dict())
    return Status(201, r)
