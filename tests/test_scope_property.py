"""Property test of scopes through reorganisations (#15): random sequences of moves, merges,
new units, memberships, learning entries, LRS writes and campaign tasks; after each sequence,
every scope query (verification queues, unit figures and roll-ups, the campaign dashboard,
officers' LRS reads, member lists) equals the same answer computed from scratch by walking
the parent links of the current placement (UnitParentPeriod), never the stored paths."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from suotdoi.organisations import actions as org
from suotdoi.organisations.models import Membership, Role, Unit, UnitParentPeriod
from suotdoi.organisations.paths import path_copy_mismatches

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


class Rollback(Exception):
    pass


def _parents() -> dict[int, int | None]:
    """The current placement of every unit, from the parent history alone."""
    out: dict[int, int | None] = {}
    for unit_id, parent_id in UnitParentPeriod.objects.filter(valid_to__isnull=True).values_list(
        "unit_id", "parent_id"
    ):
        out[unit_id] = parent_id
    for u in Unit.objects.filter(depth=1).values_list("pk", flat=True):
        out.setdefault(u, None)
    return out


def _under(unit_id: int, top: int, parents: dict) -> bool:
    seen = 0
    while unit_id is not None and seen < 100:
        if unit_id == top:
            return True
        unit_id = parents.get(unit_id)
        seen += 1
    return False


ops = st.lists(
    st.one_of(
        st.tuples(st.just("move"), st.integers(0, 999), st.integers(0, 999)),
        st.tuples(st.just("merge"), st.integers(0, 999), st.integers(0, 999)),
        st.tuples(st.just("new_unit"), st.integers(0, 999), st.integers(0, 999)),
        st.tuples(st.just("member"), st.integers(0, 999), st.integers(0, 999)),
        st.tuples(st.just("entry"), st.integers(0, 999), st.integers(0, 999)),
        st.tuples(st.just("statement"), st.integers(0, 999), st.integers(0, 999)),
        st.tuples(st.just("assessment"), st.integers(0, 999), st.integers(0, 999)),
        st.tuples(st.just("credential"), st.integers(0, 999), st.integers(0, 999)),
    ),
    min_size=1,
    max_size=7,
)


def _apply(op, world, ctx) -> None:
    from suotdoi.records.actions import entry_record
    from suotdoi.records.lrs.actions import lrs_client_create

    kind, a, b = op
    fed = world.units["federation"]
    union = list(
        Unit.objects.filter(
            path__startswith=fed.path, depth__gt=fed.depth, merged_into=None
        ).order_by("path")
    )
    admin = world.people["admin"]
    if kind == "move":
        unit, parent = union[a % len(union)], ([fed, *union])[b % (len(union) + 1)]
        if parent.path.startswith(unit.path) or Unit.objects.get_parent(unit).pk == parent.pk:
            return
        org.unit_move(actor=admin, unit=unit, new_parent=parent, effective_date=TODAY)
    elif kind == "merge":
        source, target = union[a % len(union)], union[b % len(union)]
        if source.pk == target.pk or target.path.startswith(source.path):
            return
        org.unit_merge(actor=admin, source=source, target=target, effective_date=TODAY)
    elif kind == "new_unit":
        parent = ([fed, *union])[a % (len(union) + 1)]
        org.unit_create(
            actor=admin,
            parent=parent,
            name=f"Đơn vị mới {b}",
            code=f"NEW-{len(ctx['new'])}",
            unit_type=parent.unit_type,
            active_from=TODAY,
        )
        ctx["new"].append(b)
    elif kind == "member":
        person = ctx["people"][a % len(ctx["people"])]
        org.membership_add(actor=admin, unit=union[b % len(union)], person=person)
    elif kind == "entry":
        person = ctx["people"][a % len(ctx["people"])]
        unit = union[b % len(union)]
        entry_record(
            actor=person,
            person=person,
            source_key=f"prop:{uuid.uuid4()}",
            title="Tự học",
            kind="self_study",
            start_date=TODAY - dt.timedelta(days=1),
            hours=Decimal(b % 7 + 1),
            provenance="self_declared",
            unit=unit,
        )
        entry_record(
            actor=admin,
            person=person,
            source_key=f"prop:{uuid.uuid4()}",
            title="Lớp học",
            kind="course",
            start_date=TODAY - dt.timedelta(days=1),
            hours=Decimal(a % 5 + 1),
            provenance="unit_verified",
            unit=unit,
        )
    elif kind == "assessment":
        from suotdoi.recognition import selectors as rs
        from suotdoi.recognition.actions import assessment_register

        person = ctx["people"][a % len(ctx["people"])]
        assessment_register(
            actor=person, criteria_set=rs.current_set("cong-dan-hoc-tap"), year=TODAY.year
        )
    elif kind == "credential":
        from suotdoi.credentials.actions import credential_issue_for_entry, issuer_enable

        unit = union[a % len(union)]
        issuer_enable(actor=admin, unit=unit, signer_title="Chủ tịch")
        person = ctx["people"][b % len(ctx["people"])]
        entry, _ = entry_record(
            actor=admin,
            person=person,
            source_key=f"prop:{uuid.uuid4()}",
            title="Khoá học",
            kind="course",
            start_date=TODAY - dt.timedelta(days=2),
            hours=Decimal(3),
            provenance="unit_verified",
            unit=unit,
        )
        credential_issue_for_entry(actor=admin, entry=entry)
    elif kind == "statement":
        from suotdoi.records.lrs import storage

        unit = union[a % len(union)]
        client, _secret = lrs_client_create(actor=None, unit=unit, name=f"Công cụ {b}")
        storage.store(
            [
                {
                    "actor": {"mbox": f"mailto:hoc{b}@example.vn"},
                    "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
                    "object": {"id": f"https://bai.example/{b}"},
                }
            ],
            client=client,
            version="2.0.0",
            attachments={},
        )


def _check(world, ctx) -> None:
    from suotdoi.campaigns import selectors as campaign_selectors
    from suotdoi.campaigns.models import Task
    from suotdoi.records.lrs.models import Statement
    from suotdoi.records.models import LearningEntry, UnitFigure
    from suotdoi.records.selectors import unit_year_hours, verification_queue

    assert path_copy_mismatches() == {}
    parents = _parents()
    from hypothesis import event

    from suotdoi.credentials.models import Credential as _C
    from suotdoi.recognition.models import Assessment as _A

    event(f"credentials>0: {_C.objects.exists()}, assessments>0: {_A.objects.exists()}")
    fed = world.units["federation"]
    tops = list(Unit.objects.filter(path__startswith=fed.path, depth__lte=fed.depth + 2))
    for top in tops:
        # verification queue of the officer placed on `top` (merges carry them elsewhere): the
        # units they hold a staff role in, by unit id, then the parent walk
        officer = ctx["officers"].get(top.pk)
        if officer is not None:
            from suotdoi.organisations.access import forget_grants

            forget_grants(officer)
            got = set(verification_queue(actor=officer).values_list("pk", flat=True))
            grant_units = set(
                Membership.objects.filter(
                    person=officer, end_date__isnull=True, role=Role.OFFICER
                ).values_list("unit_id", flat=True)
            )
            want = {
                pk
                for pk, unit_id in LearningEntry.objects.filter(status="pending").values_list(
                    "pk", "unit_id"
                )
                if unit_id and any(_under(unit_id, g, parents) for g in grant_units)
            }
            assert got == want, top.code
        # figures rolled up over the subtree
        hours = unit_year_hours(unit=top, year=TODAY.year)["hours"]
        want_hours = sum(
            (
                h
                for unit_id, h in UnitFigure.objects.filter(year=TODAY.year).values_list(
                    "unit_id", "hours"
                )
                if _under(unit_id, top.pk, parents)
            ),
            Decimal("0"),
        )
        assert Decimal(hours) == want_hours, top.code
        # the campaign dashboard's task count in focus
        rolled = campaign_selectors.rollup(campaign=ctx["campaign"], focus=top)
        want_tasks = sum(
            1
            for unit_id in Task.objects.filter(campaign=ctx["campaign"]).values_list(
                "unit_id", flat=True
            )
            if _under(unit_id, top.pk, parents)
        )
        assert rolled["tasks"] == want_tasks, top.code
        # officers' LRS reads (the unit's page lists statements under the unit)
        got_st = Statement.objects.filter(unit_path__startswith=top.path).count()
        want_st = sum(
            1
            for unit_id in Statement.objects.values_list("client__unit_id", flat=True)
            if _under(unit_id, top.pk, parents)
        )
        assert got_st == want_st, top.code
        # assessments waiting in the subtree's review queues, credentials issued in it
        from suotdoi.credentials.models import Credential
        from suotdoi.recognition.models import Assessment

        for model, unit_field in [
            (Assessment, "unit_id"),
            (Credential, "achievement__issuer__unit_id"),
        ]:
            got_n = model.objects.filter(unit_path__startswith=top.path).count()
            want_n = sum(
                1
                for unit_id in model.objects.values_list(unit_field, flat=True)
                if unit_id and _under(unit_id, top.pk, parents)
            )
            assert got_n == want_n, (model.__name__, top.code)
        # the distinct members recognition's title shares and emulation standings count
        from suotdoi.organisations.selectors import members_by_path

        got_people = members_by_path([top.path])[top.path]
        want_people = {
            person_id
            for person_id, unit_id in Membership.objects.filter(end_date__isnull=True).values_list(
                "person_id", "unit_id"
            )
            if _under(unit_id, top.pk, parents)
        }
        assert got_people == want_people, top.code
        # member lists of the subtree
        got_m = Membership.objects.filter(unit_path__startswith=top.path).count()
        want_m = sum(
            1
            for unit_id in Membership.objects.values_list("unit_id", flat=True)
            if _under(unit_id, top.pk, parents)
        )
        assert got_m == want_m, top.code


@settings(
    max_examples=int(os.environ.get("SUOTDOI_PROPERTY_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(sequence=ops)
def test_scopes_equal_the_parent_walk_after_any_reorganisation(world, sequence):
    from suotdoi.people.models import Person
    from tests.test_campaigns import launched

    with pytest.raises(Rollback), transaction.atomic():
        fed = world.units["federation"]
        officers = {}
        for i, top in enumerate(
            Unit.objects.filter(path__startswith=fed.path, depth__lte=fed.depth + 2)
        ):
            p = Person.objects.create_user(full_name=f"Cán Bộ {i}", phone=f"+8491777{i:04d}")
            org.membership_add(actor=world.people["admin"], unit=top, person=p, role=Role.OFFICER)
            officers[top.pk] = p
        ctx = {
            "officers": officers,
            "people": [world.people["member"], world.people["group_leader"]],
            "campaign": launched(world.people, world.units),
            "new": [],
        }
        note(f"operations: {sequence}")
        for op in sequence:
            _apply(op, world, ctx)
        _check(world, ctx)
        raise Rollback()
