"""Who reaches a package: learners enrolled in its course (who may see the course), and the
provider's staff; everyone else gets the same 404."""

from __future__ import annotations

from suotdoi.catalog.access import access_course_manage, may_see_course
from suotdoi.catalog.models import Enrolment, Lesson
from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability

from .models import Package


def access_package_lesson(person, lesson_id) -> tuple[Package, bool]:
    """(package, is the provider's staff) of a lesson the person may play."""
    lesson = (
        Lesson.objects.select_related("course__provider__unit", "course__audience_unit")
        .filter(pk=int_or(lesson_id), kind="package")
        .first()
    )
    if lesson is None or not person.is_authenticated:
        raise NotFound()
    course = lesson.course
    staff = can(person, course.provider.unit, Capability.MANAGE_MEMBERS)
    if not staff:
        if not may_see_course(person, course):
            raise NotFound()
        if not Enrolment.objects.filter(
            course=course, person=person, status__in=[Enrolment.ACTIVE, Enrolment.COMPLETED]
        ).exists():
            raise NotFound()
    package = (
        Package.objects.filter(lesson=lesson)
        .select_related("lesson__course__provider__unit")
        .first()
    )
    if package is None:
        raise NotFound()
    return package, staff


def access_package_manage(person, package_id) -> Package:
    package = (
        Package.objects.select_related("lesson__course__provider__unit")
        .filter(pk=int_or(package_id))
        .first()
    )
    if package is None:
        raise NotFound()
    access_course_manage(person, package.lesson.course_id)
    return package
