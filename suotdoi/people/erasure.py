"""Erasure: a person is anonymised, their rows stay so that the units' figures and roll-ups
stay right, and what identifies them or was written about them goes.

What happens, in one transaction:
- capabilities run their own steps first (`register_erasure_step`): the credentials are
  revoked (they stay verifiable as revoked), the LRS forgets the statements naming them…;
- every row of every table of ours that points at the person keeps its numbers, dates, codes
  and states, and loses its free text and files (titles, notes, reasons, reflections,
  evidence, photos); their notifications are deleted;
- the audit log keeps its rows (who did what, when) but no longer names them: their name,
  phone, email and citizen ID are replaced in its texts, and rows about them lose their data;
- the person becomes "Người dùng đã xoá" with no phone, email, citizen ID, birth date or
  password, and cannot sign in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast

PSEUDONYM = "Người dùng đã xoá"
# Fields that are structure, not something written about the person.
KEEP = {
    "status",
    "kind",
    "role",
    "verb",
    "source_key",
    "provenance",
    "method",
    "unit_path",
    "code",
    "title_code",
    "how",
    "target_type",
    "target_id",
    "dedupe_key",
    "activity_id",
    "registration",
    "verb_id",
    "home_page",
    "position_title",
    "issued_by",
    "language",
    "gender",
    "person_name_sort",
    "outcome",
    "uid",
    "public_id",
}
_steps: list[Callable] = []


def register_erasure_step(step: Callable) -> None:
    """`step(person, actor)`: a capability's own part of an erasure, run first."""
    if step not in _steps:
        _steps.append(step)


def erased_name(person) -> str:
    """The name an erased person goes by: the same for everyone, told apart by a short hash."""
    return f"{PSEUDONYM} {hashlib.sha256(f'erased:{person.pk}'.encode()).hexdigest()[:8]}"


def _personal_strings(person) -> list[str]:
    local = "0" + person.phone[3:] if (person.phone or "").startswith("+84") else ""
    spaced = f"{local[:4]} {local[4:7]} {local[7:]}" if local else ""
    found = [person.full_name, person.phone, local, spaced, person.email, person.national_id]
    return [s for s in found if s and len(s) >= 3]


def _scrub_text(value: str, strings: list[str]) -> str:
    for s in strings:
        value = value.replace(s, PSEUDONYM if s == strings[0] else "•••")
    return value


def _naming(strings: list[str], field: str, *, stored_json: bool = False) -> Q:
    """Rows whose `field` contains one of the strings (as JSON stores it, too: SQLite keeps
    non-ASCII letters escaped)."""
    q = Q()
    for text in strings:
        q |= Q(**{f"{field}__contains": text})
        if stored_json:
            q |= Q(**{f"{field}__contains": json.dumps(text)[1:-1]})
    return q


def _blank_row_values(model, obj) -> dict:
    changes = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.is_relation or f.name in KEEP or f.choices:
            continue
        if isinstance(f, models.FileField):
            value = getattr(obj, f.attname)
            if value:
                try:
                    value.storage.delete(value.name)
                except OSError:
                    pass
                changes[f.attname] = ""
        elif isinstance(f, models.TextField | models.CharField) and getattr(obj, f.attname):
            if (
                f.max_length is not None
                and f.max_length < 60
                and not isinstance(f, models.TextField)
            ):
                continue  # short codes and labels (a unit code, a score band)
            changes[f.attname] = "" if f.blank or isinstance(f, models.TextField) else PSEUDONYM
    return changes


@transaction.atomic
def person_erase(*, actor, person) -> None:
    from suotdoi.audit.actions import audit_log
    from suotdoi.audit.models import AuditEvent

    strings = _personal_strings(person)
    for step in _steps:
        step(person, actor)
    person_model = apps.get_model(settings.AUTH_USER_MODEL)
    apps.get_model("notifications", "Notification").objects.filter(recipient=person).delete()
    for model in apps.get_models():
        if model is person_model or model is AuditEvent:
            continue
        if not model.__module__.startswith("suotdoi."):
            continue
        for f in model._meta.concrete_fields:
            if not (f.is_relation and f.related_model is person_model):
                continue
            for obj in model._base_manager.filter(**{f.name: person}):
                if f.name in (
                    "created_by",
                    "recorded_by",
                    "uploaded_by",
                    "reviewed_by",
                    "verified_by",
                    "withdrawn_by",
                    "invited_by",
                    "proposed_by",
                    "entered_by",
                    "actor",
                ):
                    continue  # the person acted on someone else's row: that row is not theirs
                changes = _blank_row_values(model, obj)
                for jf in model._meta.concrete_fields:
                    if isinstance(jf, models.JSONField):
                        value = getattr(obj, jf.attname)
                        text = json.dumps(value, ensure_ascii=False)
                        clean = _scrub_text(text, strings)
                        if clean != text:
                            changes[jf.attname] = json.loads(clean)
                if changes:
                    model._base_manager.filter(pk=obj.pk).update(**changes)
    # Texts elsewhere that name them (notifications to officers, audit rows): found in SQL,
    # not by reading every row of a national log.
    notification = apps.get_model("notifications", "Notification")
    named = _naming(strings, "title") | _naming(strings, "body")
    for n in notification.objects.exclude(recipient=person).filter(named):
        title, body = _scrub_text(n.title, strings), _scrub_text(n.body, strings)
        notification.objects.filter(pk=n.pk).update(title=title, body=body, message={})
    events = AuditEvent.objects.all()
    about = events.filter(target_type=person._meta.label_lower, target_id=str(person.pk))
    base = models.QuerySet.update  # the log is append-only for everyone but erasure
    base(about, data={}, target_repr=PSEUDONYM)
    data_text = events.annotate(data_text=Cast("data", models.TextField()))
    named = _naming(strings, "target_repr") | _naming(strings, "data_text", stored_json=True)
    for ev in data_text.filter(named).only("pk", "target_repr", "data"):
        data = json.loads(_scrub_text(json.dumps(ev.data, ensure_ascii=False), strings))
        base(events.filter(pk=ev.pk), target_repr=_scrub_text(ev.target_repr, strings), data=data)
    person.full_name = erased_name(person)
    person.phone = person.email = person.national_id = None
    person.phone_verified = False
    person.date_of_birth = None
    person.gender = ""
    person.is_active = False
    person.set_unusable_password()
    person.save()
    apps.get_model("account", "EmailAddress").objects.filter(user=person).delete()
    # Linked sign-ins (VNeID…) go: the provider's subject would lead back to them.
    apps.get_model("socialaccount", "SocialAccount").objects.filter(user=person).delete()
    audit_log(actor=actor, verb="person.erase", target=person, data={})
