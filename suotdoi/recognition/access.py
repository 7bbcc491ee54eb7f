"""Who may open an assessment, a decision or an emulation movement (404 for anyone else)."""

from __future__ import annotations

from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability
from suotdoi.records.assist import assisting_unit

from .models import Assessment, Decision, Movement


def access_assessment(person, assessment_id) -> tuple[Assessment, bool, bool]:
    """The assessment, whether the person is its subject (or the subject unit's officer), and
    whether they evaluate it. Staff of the reviewing unit or above may read it too."""
    a = (
        Assessment.objects.select_related(
            "criteria_set", "person", "subject_unit", "unit", "decision"
        )
        .filter(pk=int_or(assessment_id))
        .first()
    )
    if a is None:
        raise NotFound()
    subject = (
        (a.person_id == person.pk)
        or (
            a.subject_unit_id is not None and can(person, a.subject_unit, Capability.MANAGE_MEMBERS)
        )
        # An officer the person has consented to be helped by fills it for them (#18.3).
        or (a.person_id is not None and assisting_unit(person, a.person) is not None)
    )
    evaluator = can(person, a.unit, Capability.EVALUATE) and a.person_id != person.pk
    if not (subject or evaluator or can(person, a.unit, Capability.VIEW)):
        raise NotFound()
    return a, subject, evaluator


def access_decision(person, decision_id, capability=Capability.VIEW) -> Decision:
    d = Decision.objects.select_related("unit", "criteria_set").filter(pk=int_or(decision_id))
    d = d.first()
    if d is None or not can(person, d.unit, capability):
        raise NotFound()
    return d


def access_movement(person, movement_id) -> tuple[Movement, bool]:
    """The movement, for its organiser's staff and the members below it; and whether the
    person is a member below (who may take part)."""
    from suotdoi.organisations.models import Membership

    m = Movement.objects.select_related("unit").filter(pk=int_or(movement_id)).first()
    if m is None:
        raise NotFound()
    member_below = Membership.objects.filter(
        person=person, unit_path__startswith=m.unit_path, end_date__isnull=True
    ).exists()
    if not (member_below or can(person, m.unit, Capability.VIEW)):
        raise NotFound()
    return m, member_below
