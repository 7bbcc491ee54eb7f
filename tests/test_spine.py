"""The spine through reorganisations (#15): every registered copy of a unit's path follows a
move, a merged unit's live work goes to the unit that absorbed it, and no model keeps a path
copy the registry does not know."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from suotdoi.organisations import actions as org
from suotdoi.organisations.models import Membership, Role, Unit
from suotdoi.organisations.paths import CURRENT, path_copies, path_copy_mismatches

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_every_path_like_column_is_registered():
    registered = {c.label for c in path_copies()}
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("suotdoi."):
            continue
        for f in model._meta.concrete_fields:
            if f.get_internal_type() != "CharField":
                continue
            if f.name.endswith("_path") or (f.name == "path" and model is not Unit):
                found.add(f"{model._meta.label}.{f.name}")
    assert found - registered == set(), "register these in organisations.paths"
    assert registered - found == set()
    assert all(c.meaning == CURRENT for c in path_copies())  # ADR 0006 says why


def _officer(unit, phone):
    from suotdoi.people.models import Person

    p = Person.objects.create_user(full_name="Cán Bộ Kiểm Tra", phone=phone, password="x")
    Membership.objects.create(
        person=p,
        unit=unit,
        role=Role.OFFICER,
        start_date=TODAY,
        unit_path=unit.path,
        person_name_sort=p.name_sort,
    )
    return p


def _pending_entry(person, unit, key):
    from suotdoi.records.actions import entry_record
    from suotdoi.records.models import EntryKind, Provenance

    entry, _ = entry_record(
        actor=person,
        person=person,
        source_key=key,
        title="Tự học tin học",
        kind=EntryKind.SELF_STUDY,
        start_date=TODAY - dt.timedelta(days=3),
        hours=Decimal("6"),
        provenance=Provenance.SELF_DECLARED,
        unit=unit,
    )
    return entry


def _verified_entry(officer, person, unit, key, hours="10"):
    from suotdoi.records.actions import entry_record
    from suotdoi.records.models import EntryKind, Provenance

    entry, _ = entry_record(
        actor=officer,
        person=person,
        source_key=key,
        title="Lớp an toàn lao động",
        kind=EntryKind.COURSE,
        start_date=TODAY - dt.timedelta(days=5),
        hours=Decimal(hours),
        provenance=Provenance.UNIT_VERIFIED,
        unit=unit,
    )
    return entry


def test_a_move_carries_queues_figures_tasks_statements_and_audit(people, units):
    from suotdoi.campaigns import selectors as campaign_selectors
    from suotdoi.records.lrs.actions import lrs_client_create
    from suotdoi.records.models import LearningEntry
    from suotdoi.records.selectors import unit_year_hours, verification_queue
    from tests.test_campaigns import launched
    from tests.test_lrs import Lrs
    from tests.test_security import _completed

    grassroots = units["grassroots"]  # CDCS-001 under CD-KCN
    old_parent = Unit.objects.get(code="CD-KCN")
    new_parent = Unit.objects.get(code="CD-HOALU")
    old_officer = _officer(old_parent, "+84912345001")
    new_officer = _officer(new_parent, "+84912345002")
    mai = people["member"]
    pending = _pending_entry(mai, units["group"], "spine:pending")
    _verified_entry(people["group_leader"], mai, units["group"], "spine:verified")
    campaign = launched(people, units)
    lrs = Lrs(*lrs_client_create(actor=None, unit=units["group"], name="Ứng dụng tổ"))
    from django.conf import settings

    home = settings.PUBLIC_URL.rstrip("/")
    r = lrs.post("statements", _completed({"account": {"homePage": home, "name": mai.public_id}}))
    assert r.status_code == 200
    year = TODAY.year
    before_old, before_new = (
        unit_year_hours(unit=old_parent, year=year),
        unit_year_hours(unit=new_parent, year=year),
    )
    moved_hours = unit_year_hours(unit=grassroots, year=year)
    assert pending in verification_queue(actor=old_officer)
    old_prefix = grassroots.path
    counts_before = {
        c.label: c.model._base_manager.filter(**{f"{c.field}__startswith": old_prefix}).count()
        for c in path_copies()
    }

    org.unit_move(
        actor=people["admin"], unit=grassroots, new_parent=new_parent, effective_date=TODAY
    )
    grassroots.refresh_from_db()

    assert path_copy_mismatches() == {}
    for c in path_copies():  # nothing left behind under the old prefix, nothing lost
        qs = c.model._base_manager
        assert qs.filter(**{f"{c.field}__startswith": old_prefix}).count() == 0, c.label
        got = qs.filter(**{f"{c.field}__startswith": grassroots.path}).count()
        extra = 1 if c.label == "audit.AuditEvent.unit_path" else 0  # the move's own row
        assert got == counts_before[c.label] + extra, c.label
    # The queue follows the union to its new parent.
    assert pending in verification_queue(actor=new_officer)
    assert pending not in verification_queue(actor=old_officer)
    # Figures roll up to the new parent, not the old one.
    after_old = unit_year_hours(unit=old_parent, year=year)
    after_new = unit_year_hours(unit=new_parent, year=year)
    assert after_new["hours"] == before_new["hours"] + moved_hours["hours"]
    assert after_old["hours"] == before_old["hours"] - moved_hours["hours"]
    # The campaign dashboard of the new parent counts the moved union's task.
    rolled = campaign_selectors.rollup(campaign=campaign, focus=new_parent)
    assert rolled["tasks"] >= 2
    assert LearningEntry.objects.filter(pk=pending.pk, unit_path__startswith=new_parent.path)


def test_a_merge_moves_children_and_the_queue_and_keeps_history(people, units):
    from suotdoi.records.selectors import verification_queue

    source = units["grassroots"]  # CDCS-001
    target = Unit.objects.get(code="CDCS-002")
    target_officer = _officer(target, "+84912345003")
    mai = people["member"]
    on_source = _pending_entry(mai, source, "spine:on-source")
    on_group = _pending_entry(mai, units["group"], "spine:on-group")
    verified = _verified_entry(people["grassroots_chair"], mai, source, "spine:history")
    org.unit_merge(actor=people["admin"], source=source, target=target, effective_date=TODAY)
    assert path_copy_mismatches() == {}
    queue = set(verification_queue(actor=target_officer))
    assert {on_source, on_group} <= queue
    on_source.refresh_from_db()
    verified.refresh_from_db()
    assert on_source.unit_id == target.pk
    assert verified.unit_id == source.pk  # what happened stays with the merged union
    units["group"].refresh_from_db()
    assert units["group"].path.startswith(target.path)
