"""The record of processing (Decree 13/2023/NĐ-CP; Law on Personal Data Protection, in force
from 1 January 2026): what personal data the platform holds, for which purpose, on which legal
basis, for how long and who sees it. Shown at /privacy/; kept here as data so that a change in
what we hold is a change in code review."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Processing:
    data: str
    purpose: str
    basis: str
    retention: str
    who_sees: str
    withdraw: str = ""  # where consent is the basis: where the person withdraws it


CONSENT = _("consent of the person, per purpose, withdrawable at any time")
TASK = _("the unit's lawful task of organising and recognising learning")
PERSON_REQUEST = _("the person's own request (they started it)")

PROCESSING = [
    Processing(
        data=_("Name, phone, email, birth date, gender, language"),
        purpose=_("An account the person signs in with; being found by their units"),
        basis=PERSON_REQUEST,
        retention=_("until the person erases the account"),
        who_sees=_("the person; officers of units they belong to (phone and email)"),
    ),
    Processing(
        data=_("Citizen ID (CCCD) number"),
        purpose=_("Matching a person in member lists imported by their unit, without duplicates"),
        basis=TASK,
        retention=_("until the person erases the account"),
        who_sees=_(
            "the person in full; officers see only its last three digits. Stored encrypted, "
            "found only by a keyed hash"
        ),
    ),
    Processing(
        data=_("Linked sign-ins: the identity service and its subject id for the person, name"),
        purpose=_("Signing in through VNeID or a province's identity service"),
        basis=CONSENT,
        retention=_("until the person removes the link or erases the account"),
        who_sees=_("the person"),
    ),
    Processing(
        data=_("Memberships, roles, family membership"),
        purpose=_("Organising the movement from a union group up to a province"),
        basis=TASK,
        retention=_("while the membership lasts, then as history of the unit"),
        who_sees=_("officers of the unit and of the units above it"),
    ),
    Processing(
        data=_("Learning history: entries, hours, evidence, attendance, quiz results, reflections"),
        purpose=_("The person's lifelong learning record; verification; the units' figures"),
        basis=TASK,
        retention=_("for life, until the person erases it (figures stay without a name)"),
        who_sees=_("the person; officers of the unit that verifies or issued it"),
    ),
    Processing(
        data=_("Credentials (certificates) issued to the person"),
        purpose=_("Proof of learning anyone can check"),
        basis=TASK,
        retention=_("for life; revoked ones stay checkable as revoked"),
        who_sees=_("the person; whoever they show or share it with"),
        withdraw=_("switch a credential's public link off on its page"),
    ),
    Processing(
        data=_("The learning record, shown to an employer or school"),
        purpose=_("Sharing the record through a link"),
        basis=CONSENT,
        retention=_("until the link is revoked or expires"),
        who_sees=_("whoever has the link"),
        withdraw=_("revoke the link under 'Share my record'"),
    ),
    Processing(
        data=_("Name and position in an emulation movement's standings"),
        purpose=_("Public standings of an emulation movement"),
        basis=CONSENT,
        retention=_("while the movement runs"),
        who_sees=_("anyone"),
        withdraw=_("leave the public standings on the movement's page"),
    ),
    Processing(
        data=_("What learning tools (xAPI) report about the person"),
        purpose=_("Bringing learning done elsewhere into the record"),
        basis=CONSENT,
        retention=_("until the person unlinks the tool or erases the account"),
        who_sees=_("the person; officers of the tool's unit"),
        withdraw=_("unlink the tool under 'My learning tools'"),
    ),
    Processing(
        data=_("Entries an officer types in for a member without a phone"),
        purpose=_("Assisted use"),
        basis=CONSENT,
        retention=_("the consent form while the consent lasts; entries as the record"),
        who_sees=_("the member; officers of the unit"),
        withdraw=_("withdraw under 'Who may act for you' on the record"),
    ),
    Processing(
        data=_("Audit log: who did what, when, from which address"),
        purpose=_("Accountability of every change; security"),
        basis=TASK,
        retention=_("five years (a daily job removes older rows)"),
        who_sees=_("administrators; officers for their own units"),
    ),
    Processing(
        data=_("Uploaded member lists (Excel files)"),
        purpose=_("Importing members"),
        basis=TASK,
        retention=_("90 days after the import (a daily job removes the file)"),
        who_sees=_("officers of the importing unit"),
    ),
]
