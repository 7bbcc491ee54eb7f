"""Emulation movements (phong trào thi đua) and their fair standings.

Units are compared by a rate per member (learning hours per member, or the share of members
holding "Công dân học tập"), and only with units of a similar size (bands by member count), so
a big enterprise never wins by headcount. People are compared by their own verified hours. A
person may leave the public standings and still sees their own position, privately. Standings
are computed by `movement_compute` (a button and a nightly command) and read from stored rows,
so the page stays fast whatever the size of the movement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import NotFound, ValidationFailed
from suotdoi.organisations.access import can
from suotdoi.organisations.models import Membership, Unit
from suotdoi.organisations.policies import Capability
from suotdoi.records.models import EntryStatus, LearningEntry

from .models import Movement, Participation, UnitYearFigure

BANDS = [(0, 29, "1–29"), (30, 99, "30–99"), (100, 299, "100–299"), (300, 10**9, "300+")]
PUBLIC_TOP = 20


def band_of(members: int) -> str:
    return next(label for low, high, label in BANDS if low <= members <= high)


@transaction.atomic
def movement_create(*, actor, unit: Unit, **fields) -> Movement:
    if not can(actor, unit, Capability.MANAGE_MEMBERS):
        raise NotFound()
    if fields["ends_on"] < fields["starts_on"]:
        raise ValidationFailed(_("The end comes before the start."))
    if fields.get("metric") == Movement.TITLE_SHARE and fields.get("subjects") != Movement.UNITS:
        raise ValidationFailed(_("The share of members holding a title compares units."))
    m = Movement.objects.create(unit=unit, unit_path=unit.path, created_by=actor, **fields)
    audit_log(actor=actor, verb="emulation.create", target=m, unit=unit)
    return m


@transaction.atomic
def movement_join(*, actor, movement: Movement, unit: Unit | None = None, public: bool = True):
    """A person registers themselves (members below the organiser); an officer registers
    their unit (a unit below the organiser)."""
    if movement.subjects == Movement.UNITS:
        if unit is None or not unit.path.startswith(movement.unit_path):
            raise NotFound()
        if not can(actor, unit, Capability.MANAGE_MEMBERS):
            raise NotFound()
        p, _c = Participation.objects.get_or_create(movement=movement, unit=unit)
    else:
        if not Membership.objects.filter(
            person=actor, unit_path__startswith=movement.unit_path, end_date__isnull=True
        ).exists():
            raise NotFound()
        p, _c = Participation.objects.get_or_create(
            movement=movement, person=actor, defaults={"public": public}
        )
    audit_log(actor=actor, verb="emulation.join", target=p, unit=movement.unit)
    return p


@transaction.atomic
def participation_public(*, actor, participation: Participation, public: bool):
    if participation.person_id != actor.pk:
        raise NotFound()
    Participation.objects.filter(pk=participation.pk).update(public=public)
    audit_log(actor=actor, verb="emulation.public", target=participation, data={"public": public})


def _hours_by_person(people: set[int], starts: dt.date, ends: dt.date) -> dict[int, Decimal]:
    rows = (
        LearningEntry.objects.filter(
            status=EntryStatus.VERIFIED, start_date__gte=starts, start_date__lte=ends
        )
        .values("person_id")
        .annotate(h=Sum("hours"))
        .values_list("person_id", "h")
    )
    return {pid: h for pid, h in rows.iterator(chunk_size=20_000) if pid in people}


@transaction.atomic
def movement_compute(*, movement: Movement) -> int:
    """Recompute every standing of the movement (idempotent)."""
    m = Movement.objects.select_for_update().get(pk=movement.pk)
    parts = list(Participation.objects.filter(movement=m).select_related("unit"))
    if not parts:
        return 0
    if m.subjects == Movement.PERSONS:
        hours = _hours_by_person({p.person_id for p in parts}, m.starts_on, m.ends_on)
        for p in parts:
            p.members, p.value = 1, hours.get(p.person_id, Decimal("0"))
            p.rate, p.band = p.value, ""
        _rank(parts, key=lambda p: p.rate)
    else:
        from suotdoi.organisations.selectors import members_by_path

        wanted = {p.unit.path: p for p in parts}
        members = members_by_path(wanted)
        if m.metric == Movement.TITLE_SHARE:
            figs = {
                f.unit_id: f
                for f in UnitYearFigure.objects.filter(
                    unit_id__in=[p.unit_id for p in parts],
                    title_code=m.title_code or "cong-dan-hoc-tap",
                    year=m.ends_on.year,
                )
            }
        else:
            everyone = set().union(*members.values())
            hours = _hours_by_person(everyone, m.starts_on, m.ends_on)
        for path, p in wanted.items():
            n = len(members[path])
            p.members = n
            if m.metric == Movement.TITLE_SHARE:
                f = figs.get(p.unit_id)
                p.value = Decimal(f.holders if f else 0)
                p.rate = f.share_pct if f else Decimal("0")
            else:
                p.value = sum((hours.get(pid, Decimal("0")) for pid in members[path]), Decimal(0))
                p.rate = (p.value / n).quantize(Decimal("0.01")) if n else Decimal("0")
            p.band = band_of(n)
        for label in {p.band for p in parts}:
            _rank([p for p in parts if p.band == label], key=lambda p: p.rate)
    Participation.objects.bulk_update(
        parts, ["members", "value", "rate", "band", "rank", "band_size"], batch_size=2000
    )
    m.computed_at = timezone.now()
    m.save(update_fields=["computed_at", "updated_at"])
    return len(parts)


def _rank(parts: list[Participation], key) -> None:
    """Competition ranking (1, 2, 2, 4) by rate, highest first; ties share a rank."""
    ordered = sorted(parts, key=lambda p: (-key(p), p.pk))
    rank, last = 0, None
    for n, p in enumerate(ordered, start=1):
        if key(p) != last:
            rank, last = n, key(p)
        p.rank, p.band_size = rank, len(parts)


def standings(movement: Movement) -> list[dict]:
    """The public standings: per band, the top of those who agreed to be shown (one small
    query per band, read from the stored ranks)."""
    base = Participation.objects.filter(movement=movement, public=True, rank__gt=0).select_related(
        "unit", "person"
    )
    labels = [""] if movement.subjects == Movement.PERSONS else [b for _l, _h, b in BANDS]
    out = []
    for label in labels:
        rows = list(base.filter(band=label).order_by("rank", "id")[:PUBLIC_TOP])
        if rows:
            out.append({"band": label, "rows": rows})
    return out
