"""#18.4 erasure: after erasing a person no table holds their name, phone, email, citizen ID
or free text about them; unit figures are unchanged; their credentials are revoked and verify
as revoked."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models

pytestmark = pytest.mark.django_db


def _everything_as_text() -> dict[str, str]:
    """Every text and JSON column of every table of ours, row by row."""
    out = {}
    for model in apps.get_models():
        if not model.__module__.startswith(("suotdoi.", "allauth.")):
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(
                f, models.CharField | models.TextField | models.JSONField | models.EmailField
            )
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list("pk", *[f.attname for f in fields]):
            out[f"{model._meta.label}#{row[0]}"] = json.dumps(
                row[1:], ensure_ascii=False, default=str
            )
    return out


def test_erasure_leaves_no_trace_but_keeps_the_figures(people, units, client_for):
    from suotdoi.campaigns.actions import reflection_submit
    from suotdoi.campaigns.models import Task
    from suotdoi.credentials.models import Credential
    from suotdoi.people.erasure import person_erase
    from suotdoi.records.actions import entry_record, entry_verify
    from suotdoi.records.models import UnitFigure
    from suotdoi.records.selectors import unit_year_hours
    from tests.credentials_helpers import issued
    from tests.test_campaigns import launched

    mai = people["member"]
    mai.national_id = "001190012345"
    mai.email = "mai.nguyen@example.vn"
    mai.save()
    e, _ = entry_record(
        actor=mai,
        person=mai,
        source_key="erase:1",
        title="Nhật ký học tập của Mai",
        kind="reading",
        start_date=dt.date.today() - dt.timedelta(days=3),
        hours=Decimal("4"),
        provenance="self_declared",
        unit=units["group"],
        note="Mai ghi: đọc buổi tối",
    )
    entry_verify(actor=people["group_leader"], entry=e)
    credential = issued(people, units)
    camp = launched(people, units, reflection_required=True)
    task = Task.objects.get(campaign=camp, unit=units["grassroots"])
    reflection_submit(actor=mai, task=task, text="Tôi là Nguyễn Thị Mai, công nhân may. " * 3)
    figures_before = list(
        UnitFigure.objects.order_by("pk").values_list("entries", "hours", "verified_hours")
    )
    year = dt.date.today().year
    before = unit_year_hours(unit=units["federation"], year=year)
    cipher, lookup = mai.national_id_cipher, mai.national_id_hash
    assert cipher and lookup
    strings = [
        cipher,
        lookup,
        "Nguyễn Thị Mai",
        "+84912000001",
        "0912000001",
        "0912 000 001",
        "mai.nguyen@example.vn",
        "001190012345",
        "đọc buổi tối",
        "công nhân may",
    ]
    everything = "\n".join(_everything_as_text().values())
    present = [s for s in strings if s in everything]
    # The CCCD is stored encrypted: its plain number is in no table even before erasure.
    assert "001190012345" not in present
    assert {
        cipher,
        lookup,
        "Nguyễn Thị Mai",
        "+84912000001",
        "mai.nguyen@example.vn",
        "đọc buổi tối",
        "công nhân may",
    } <= set(present), present

    person_erase(actor=people["admin"], person=mai)

    left = {k: [s for s in strings if s in t] for k, t in _everything_as_text().items()}
    left = {k: v for k, v in left.items() if v}
    assert left == {}, left
    assert (
        list(UnitFigure.objects.order_by("pk").values_list("entries", "hours", "verified_hours"))
        == figures_before
    )
    assert unit_year_hours(unit=units["federation"], year=year) == before
    credential.refresh_from_db()
    assert credential.revoked_at is not None
    check = client_for(None).get(f"/credentials/c/{credential.uid}/{credential.digest[:32]}/")
    assert 'data-state="revoked"' in check.content.decode(), check.content.decode()[:3000]
    mai.refresh_from_db()
    assert not mai.is_active and not mai.has_usable_password()
    assert (
        client_for(None)
        .post("/accounts/login/", {"login": "0912000001", "password": "x"})
        .status_code
        == 200
    )
    assert Credential.objects.filter(person=mai).count() == 1


def test_a_person_erases_their_own_account_with_their_password(people, client_for):
    from suotdoi.demo.world import DEMO_PASSWORD

    mai = people["member"]
    c = client_for(mai)
    r = c.post("/profile/erase/", {"password": "sai-mat-khau", "sure": "on"})
    assert r.status_code == 200
    mai.refresh_from_db()
    assert mai.is_active
    r = c.post("/profile/erase/", {"password": DEMO_PASSWORD, "sure": "on"})
    assert r.status_code == 302
    mai.refresh_from_db()
    assert not mai.is_active and mai.phone is None and mai.full_name.startswith("Người dùng đã xoá")


def test_retention_removes_what_the_record_of_processing_says_expires(units, people):
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db.models import QuerySet
    from django.utils import timezone

    from suotdoi.audit.actions import audit_log
    from suotdoi.audit.models import AuditEvent
    from suotdoi.organisations.models import MemberImport

    def an_import(days_ago):
        imp = MemberImport.objects.create(
            unit=units["grassroots"],
            uploaded_by=people["grassroots_chair"],
            file_name="ds.xlsx",
            file_sha256="0",
            status="done",
            row_errors=[{"row": 3, "raw": ["Nguyễn Văn Cũ"]}],
        )
        imp.file.save("ds.xlsx", ContentFile(b"PK old list"), save=True)
        QuerySet.update(
            MemberImport.objects.filter(pk=imp.pk),
            updated_at=timezone.now() - dt.timedelta(days=days_ago),
        )
        return imp

    old, recent = an_import(91), an_import(10)
    stale = audit_log(actor=people["member"], verb="person.set_language", target=people["member"])
    QuerySet.update(
        AuditEvent.objects.filter(pk=stale.pk), at=timezone.now() - dt.timedelta(days=5 * 366)
    )
    fresh = audit_log(actor=people["member"], verb="person.set_language", target=people["member"])
    old_path = old.file.path
    call_command("retention")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and old.row_errors == [] and old.total_rows == recent.total_rows
    import os

    assert not os.path.exists(old_path)
    assert recent.file and recent.row_errors
    assert not AuditEvent.objects.filter(pk=stale.pk).exists()
    assert AuditEvent.objects.filter(pk=fresh.pk).exists()
