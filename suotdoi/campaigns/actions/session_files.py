"""Minutes and photos of a session, checked and kept behind access checks."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log

from ..models import (
    Session,
)


@transaction.atomic
def session_minutes_upload(*, actor, session: Session, upload) -> Session:
    """The minutes (PDF or photo, ≤ 10 MB, content checked like learning evidence)."""
    from suotdoi.records.rules import check_evidence

    head = upload.read(16)
    upload.seek(0)
    check_evidence(upload.name, upload.size, head)
    s = Session.objects.select_for_update().get(pk=session.pk)
    s.minutes.save(upload.name, upload, save=False)
    s.save(update_fields=["minutes", "updated_at"])
    audit_log(
        actor=actor,
        verb="session.minutes",
        target=s,
        unit=s.task.unit,
        data={"file": upload.name, "bytes": upload.size},
    )
    return s


MAX_PHOTOS = 20


@transaction.atomic
def session_photos_add(*, actor, session: Session, uploads) -> int:
    """Photos of the session (JPG or PNG, ≤ 10 MB each, at most 20 a session); all or none."""
    from suotdoi.core.errors import ValidationFailed
    from suotdoi.records.rules import check_evidence

    from ..models import SessionPhoto

    s = Session.objects.select_for_update().select_related("task__unit").get(pk=session.pk)
    uploads = list(uploads)
    if s.photos.count() + len(uploads) > MAX_PHOTOS:
        raise ValidationFailed(_("A session keeps at most %(n)s photos.") % {"n": MAX_PHOTOS})
    for up in uploads:
        if not up.name.lower().endswith((".jpg", ".jpeg", ".png")):
            raise ValidationFailed(_("Photos must be JPG or PNG: %(name)s") % {"name": up.name})
        head = up.read(16)
        up.seek(0)
        check_evidence(up.name, up.size, head)
    for up in uploads:
        photo = SessionPhoto(session=s, uploaded_by=actor)
        photo.image.save(up.name, up, save=False)
        photo.save()
    audit_log(
        actor=actor,
        verb="session.photos",
        target=s,
        unit=s.task.unit,
        data={"files": [u.name for u in uploads]},
    )
    return len(uploads)
