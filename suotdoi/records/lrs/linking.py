"""Linking a tool's own learner accounts to people here.

A tool (an LRS client) knows its learners by its own ids: an xAPI `account` on the tool's
home page. Two ways to link one to a person here, both listed on the learner's page and
revocable there:

- the tool asks (`POST /xapi/links`, with its client credentials) and shows the learner a
  one-time code; the learner types it on their own page here and confirms;
- an officer of the client's unit links a member of that unit's subtree who gave consent, and
  records how (a form signed on a date, say).

Until linked, statements about the account stay in the LRS only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import NotFound, ValidationFailed

from .models import LearnerLink, LinkRequest, LrsClient

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed on a phone
CODE_LIFETIME = dt.timedelta(minutes=30)


def _hash(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch in CODE_ALPHABET)
    return hashlib.sha256(f"suotdoi.link:{cleaned}".encode()).hexdigest()


def link_request_create(*, client: LrsClient, home_page: str, account_name: str, display_name=""):
    """A code for the learner to type here; valid 30 minutes, once. Returns (request, code)."""
    home_page, account_name = home_page.strip()[:300], account_name.strip()[:200]
    if not home_page or not account_name:
        raise ValidationFailed("account.homePage and account.name are required")
    for _i in range(5):
        code = "".join(secrets.choice(CODE_ALPHABET) for _j in range(8))
        try:
            with transaction.atomic():
                req = LinkRequest.objects.create(
                    client=client,
                    home_page=home_page,
                    account_name=account_name,
                    display_name=str(display_name or "").strip()[:150],
                    code_hash=_hash(code),
                    expires_at=timezone.now() + CODE_LIFETIME,
                )
            return req, f"{code[:4]}-{code[4:]}"
        except IntegrityError:
            continue
    raise ValidationFailed("could not make a code; try again")


def link_request_for_code(code: str) -> LinkRequest | None:
    return (
        LinkRequest.objects.select_related("client__unit")
        .filter(
            code_hash=_hash(code),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            client__revoked_at__isnull=True,
        )
        .first()
    )


@transaction.atomic
def link_confirm(*, actor, code: str) -> LearnerLink:
    req = link_request_for_code(code)
    if req is None:
        raise ValidationFailed(_("This code is not valid, already used or expired."))
    req = LinkRequest.objects.select_for_update().get(pk=req.pk)
    if req.used_at is not None:
        raise ValidationFailed(_("This code is not valid, already used or expired."))
    req.used_at = timezone.now()
    req.save(update_fields=["used_at"])
    return _link(
        actor=actor,
        person=actor,
        client=req.client,
        home_page=req.home_page,
        account_name=req.account_name,
        how="code",
    )


@transaction.atomic
def link_by_officer(
    *, actor, client: LrsClient, person, account_name: str, home_page: str, consent_note: str
) -> LearnerLink:
    """An officer links a member of the client's unit subtree who consented."""
    from suotdoi.organisations.selectors import member_ids_below

    if not consent_note.strip():
        raise ValidationFailed(_("Write how the member gave consent."))
    if person is None or not member_ids_below(unit=client.unit, person_ids={person.pk}):
        raise ValidationFailed(_("No member of this unit has that phone number."))
    return _link(
        actor=actor,
        person=person,
        client=client,
        home_page=home_page,
        account_name=account_name,
        how="officer",
        consent_note=consent_note.strip()[:300],
    )


def _link(*, actor, person, client, home_page, account_name, how, consent_note=""):
    taken = LearnerLink.objects.filter(
        client=client, home_page=home_page, account_name=account_name, revoked_at__isnull=True
    ).first()
    if taken is not None:
        if taken.person_id == person.pk:
            return taken
        raise ValidationFailed(_("This tool account is already linked to someone else."))
    link = LearnerLink.objects.create(
        client=client,
        home_page=home_page,
        account_name=account_name,
        person=person,
        how=how,
        consent_note=consent_note,
        created_by=actor,
    )
    audit_log(
        actor=actor,
        verb="lrs.link",
        target=link,
        unit=client.unit,
        on_behalf_of=person if actor != person else None,
        data={"client": client.key, "how": how},
    )
    return link


@transaction.atomic
def link_revoke(*, actor, link_id: int) -> LearnerLink:
    link = (
        LearnerLink.objects.select_for_update()
        .filter(pk=link_id, person=actor, revoked_at__isnull=True)
        .first()
    )
    if link is None:
        raise NotFound()
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    audit_log(actor=actor, verb="lrs.link_revoke", target=link, data={"client": link.client_id})
    return link
