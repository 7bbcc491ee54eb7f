from __future__ import annotations

from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or as _int
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability

from .models import Course, Provider, Resource, Status


def may_see_course(person, course: Course) -> bool:
    """Published and open to everyone; or members-only and the person is a member of (or staff
    above) that unit; the provider's own staff see every state."""
    if can(person, course.provider.unit, Capability.MANAGE_MEMBERS):
        return True
    if course.status != Status.PUBLISHED:
        return False
    if course.audience_unit_id is None:
        return True
    from .models import SearchDoc
    from .search import visible_q

    return SearchDoc.objects.filter(
        visible_q(person), kind=SearchDoc.COURSE, object_id=course.pk
    ).exists()


def access_course(person, course_id) -> Course:
    c = (
        Course.objects.select_related("provider__unit", "audience_unit")
        .filter(pk=_int(course_id))
        .first()
    )
    if c is None or not may_see_course(person, c):
        raise NotFound()
    return c


def access_course_manage(person, course_id, capability=Capability.MANAGE_MEMBERS) -> Course:
    c = Course.objects.select_related("provider__unit").filter(pk=_int(course_id)).first()
    if c is None or not can(person, c.provider.unit, capability):
        raise NotFound()
    return c


def access_provider(person, unit_id, capability=Capability.MANAGE_MEMBERS):
    from suotdoi.organisations.access import access_unit_by_id

    return access_unit_by_id(person, unit_id, capability)


def provider_of_unit(person, unit_id, capability=Capability.VIEW) -> Provider:
    """The provider of a unit the person holds `capability` on; 404 when the unit is not
    theirs or does not teach (the same answer either way)."""
    from suotdoi.organisations.access import access_unit_by_id

    unit = access_unit_by_id(person, unit_id, capability)
    provider = Provider.objects.filter(unit=unit).select_related("unit").first()
    if provider is None:
        raise NotFound()
    return provider


def public_provider(unit_id) -> Provider:
    p = Provider.objects.select_related("unit").filter(unit_id=_int(unit_id)).first()
    if p is None:
        raise NotFound()
    return p


def access_resource(resource_id) -> Resource:
    r = Resource.objects.select_related("provider__unit").filter(pk=_int(resource_id)).first()
    if r is None or not r.published:
        raise NotFound()
    return r
