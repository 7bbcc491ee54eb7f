"""A campaign's life: create, launch to every target unit (new units join), extend,
material, the daily snapshot, close."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.organisations.models import Unit

from ..errors import CampaignClosed, NotLaunchable
from ..models import (
    Campaign,
    CampaignStatus,
)
from ..selectors import campaign_roots, target_units
from ._common import _create_tasks, _event


@transaction.atomic
def campaign_create(*, actor, issuer: Unit, **fields) -> Campaign:
    campaign = Campaign.objects.create(issuer=issuer, created_by=actor, **fields)
    _event(campaign, actor, "create", title=campaign.title)
    return campaign


@transaction.atomic
def campaign_launch(*, actor, campaign: Campaign) -> int:
    """Create a task for every target unit; they see it on their home page."""
    c = Campaign.objects.select_for_update().select_related("issuer").get(pk=campaign.pk)
    if c.status != CampaignStatus.DRAFT:
        raise NotLaunchable()
    roots = campaign_roots(c)
    units = list(target_units(c, roots).only("pk", "path", "depth"))
    n = _create_tasks(c, units, roots)
    c.status = CampaignStatus.LAUNCHED
    c.launched_at = timezone.now()
    c.save(update_fields=["status", "launched_at", "updated_at"])
    _event(c, actor, "launch", tasks=n)
    return n


@transaction.atomic
def campaign_extend(
    *, actor, campaign: Campaign, ends_on: dt.date, report_due: dt.date
) -> Campaign:
    """A new deadline (new material goes through `document_add`); the old dates stay in the
    history and the units' "done" flags are kept as they are."""
    from suotdoi.core.errors import ValidationFailed

    c = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if c.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    if ends_on < c.starts_on or report_due < c.starts_on:
        raise ValidationFailed(_("The new dates come before the campaign starts."))
    before = {"ends_on": c.ends_on.isoformat(), "report_due": c.report_due.isoformat()}
    c.ends_on, c.report_due = ends_on, report_due
    c.save(update_fields=["ends_on", "report_due", "updated_at"])
    _event(
        c,
        actor,
        "extend",
        before=before,
        after={"ends_on": ends_on.isoformat(), "report_due": report_due.isoformat()},
    )
    return c


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
_DOCUMENT_MAGIC = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
}


def _check_document(upload) -> None:
    from suotdoi.core.errors import ValidationFailed

    name = upload.name or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(
            _("The file is %(size)s MB; the limit is 20 MB.")
            % {"size": round(upload.size / 1048576, 1)}
        )
    head = upload.read(8)
    upload.seek(0)
    if ext not in _DOCUMENT_MAGIC or not head.startswith(_DOCUMENT_MAGIC[ext]):
        raise ValidationFailed(_("Only PDF, Word (.doc, .docx) or OpenDocument files."))


@transaction.atomic
def document_add(*, actor, campaign: Campaign, title: str, upload=None, url: str = "", note=""):
    """Add material to study. A title already used makes the next version of that document;
    earlier versions stay listed and downloadable."""
    from django.db.models import Max

    from suotdoi.core.errors import ValidationFailed

    from ..models import CampaignDocument

    c = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if c.status == CampaignStatus.CLOSED:
        raise CampaignClosed()
    title = title.strip()
    if not title or (upload is None and not url):
        raise ValidationFailed(_("Attach a file or give a link."))
    if upload is not None:
        _check_document(upload)
    last = CampaignDocument.objects.filter(campaign=c, title=title).aggregate(v=Max("version"))
    doc = CampaignDocument(
        campaign=c,
        title=title,
        version=(last["v"] or 0) + 1,
        url=url,
        note=note.strip()[:300],
        added_by=actor,
    )
    if upload is not None:
        doc.file.save(upload.name, upload, save=False)
    doc.save()
    _event(c, actor, "document", title=title, version=doc.version)
    return doc


def campaign_snapshot(*, campaign: Campaign, day: dt.date | None = None) -> None:
    """Keep today's (or `day`'s) point of the progress chart: one aggregate over the tasks'
    counters and one upsert; run when the dashboard is opened and by `campaign_snapshots`
    each night."""
    from ..models import CampaignDay
    from ..selectors import rollup

    if campaign.status == CampaignStatus.DRAFT:
        return
    r = rollup(campaign=campaign, focus=None)
    CampaignDay.objects.update_or_create(
        campaign=campaign,
        day=day or timezone.localdate(),
        defaults={
            k: r[k]
            for k in (
                "tasks",
                "done",
                "sessions",
                "attendees",
                "members",
                "quiz_passed",
                "reflections",
            )
        },
    )


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign) -> None:
    if (
        Campaign.objects.filter(pk=campaign.pk)
        .exclude(status=CampaignStatus.CLOSED)
        .update(status=CampaignStatus.CLOSED)
    ):
        _event(campaign, actor, "close")


def task_for_new_unit(unit: Unit) -> int:
    """A unit founded during a campaign gets the task too."""
    made = 0
    for c in Campaign.objects.filter(status=CampaignStatus.LAUNCHED).select_related("issuer"):
        if unit.unit_type.code not in c.target_type_codes:
            continue
        roots = campaign_roots(c)
        if any(unit.path.startswith(r.path) and unit.pk != r.pk for r in roots):
            made += _create_tasks(c, [unit], roots)
    return made
