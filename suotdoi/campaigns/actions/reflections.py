"""Reflections (bài thu hoạch): members hand in, the unit accepts or returns them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from suotdoi.audit.actions import audit_log
from suotdoi.notifications.actions import notify
from suotdoi.notifications.messages import Say
from suotdoi.records.actions import entry_record
from suotdoi.records.models import EntryKind, Provenance

from ..errors import CampaignClosed
from ..models import (
    CampaignStatus,
    Task,
)
from ._common import _refresh_done

# --- reflections ----------------------------------------------------------------------------


@transaction.atomic
def reflection_submit(*, actor, task: Task, text: str, upload=None):
    """A member hands in (or, once returned, hands in again) their reflection: text, a file
    (PDF or a photo of a handwritten page), or both."""
    from suotdoi.core.errors import ValidationFailed
    from suotdoi.records.rules import check_evidence

    from ..errors import ReflectionLocked
    from ..models import Reflection

    if task.campaign.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    r = Reflection.objects.select_for_update().filter(task=task, person=actor).first()
    if r is not None and r.status != Reflection.RETURNED:
        raise ReflectionLocked()
    text = text.strip()
    if upload is None and len(text) < 50:
        raise ValidationFailed(
            _("Write at least 50 characters, or attach your reflection as a file.")
        )
    if upload is not None:
        head = upload.read(16)
        upload.seek(0)
        check_evidence(upload.name, upload.size, head)
    if r is None:
        r = Reflection(task=task, person=actor)
    r.text, r.status, r.submitted_at = text, Reflection.SUBMITTED, timezone.now()
    if upload is not None:
        r.file.save(upload.name, upload, save=False)
    r.save()
    audit_log(actor=actor, verb="reflection.submit", target=r, unit=task.unit)
    return r


@transaction.atomic
def reflection_review(*, actor, reflection, accept: bool, comment: str = ""):
    """Accepted: it counts for the unit and goes into the learner's record. Returned: the
    learner sees the comment and may hand it in again."""
    from ..errors import NotSubmitted
    from ..models import Reflection

    r = (
        Reflection.objects.select_for_update()
        .select_related("task__campaign", "task__unit", "person")
        .get(pk=reflection.pk)
    )
    if r.status != Reflection.SUBMITTED:
        raise NotSubmitted()
    r.status = Reflection.ACCEPTED if accept else Reflection.RETURNED
    r.comment = comment.strip()[:500]
    r.reviewed_by, r.reviewed_at = actor, timezone.now()
    r.save(update_fields=["status", "comment", "reviewed_by", "reviewed_at"])
    if accept:
        Task.objects.filter(pk=r.task_id).update(reflections_accepted=F("reflections_accepted") + 1)
        _refresh_done(r.task.campaign, Q(pk=r.task_id))
        entry_record(
            actor=actor,
            person=r.person,
            source_key=f"reflection:{r.pk}",
            title=_("Reflection: %(title)s") % {"title": r.task.campaign.title},
            kind=EntryKind.SELF_STUDY,
            start_date=timezone.localdate(),
            hours=1,
            provenance=Provenance.UNIT_VERIFIED,
            unit=r.task.unit,
            issued_by=r.task.unit.name,
        )
    with override(r.person.language):
        notify(
            recipient=r.person,
            kind="reflection.reviewed",
            title=Say(
                gettext_noop("Your reflection was accepted")
                if accept
                else gettext_noop("Your reflection was returned")
            ),
            body=r.comment,
            url=f"/campaigns/tasks/{r.task_id}/reflection/",
            dedupe_key=f"reflection:{r.pk}:{r.reviewed_at.isoformat()}",
        )
    audit_log(
        actor=actor,
        verb="reflection.accept" if accept else "reflection.return",
        target=r,
        unit=r.task.unit,
        on_behalf_of=r.person,
        data={"comment": r.comment},
    )
    return r
