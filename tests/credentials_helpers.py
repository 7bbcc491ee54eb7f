"""Helpers shared by the credential tests: an issuing centre and a finished course."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from suotdoi.credentials import actions
from suotdoi.records.actions import entry_record
from suotdoi.records.models import CompetenceTag, EntryKind, Provenance


def finished_course(people, units, *, who="member", key="course:1", title="Tin học cơ bản"):
    """A course Mai finished at the community learning centre, recorded as verified."""
    entry, _created = entry_record(
        actor=people["commune_officer"],
        person=people[who],
        source_key=key,
        title=title,
        kind=EntryKind.COURSE,
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2026, 10, 15),
        hours=Decimal("24"),
        provenance=Provenance.UNIT_VERIFIED,
        unit=units["clc"],
        tags=list(CompetenceTag.objects.filter(framework="tt02-2025")[:2]),
    )
    return entry


def issued(people, units, **kw):
    entry = finished_course(people, units, **kw)
    credential, _created = actions.credential_issue_for_entry(
        actor=people["commune_officer"], entry=entry
    )
    return credential
