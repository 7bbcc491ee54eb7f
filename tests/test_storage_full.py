"""A full upload disk (or quota): a clear, translated error and nothing half-written — no
partial file, no row (issue #26). The drill fills a real quota under `make prod-local`."""

from __future__ import annotations

import errno
import os

import pytest
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import SimpleUploadedFile

from suotdoi.core.storage import FileSystemStorage, StorageFull
from suotdoi.records.models import LearningEntry

pytestmark = pytest.mark.django_db


class _FillsTheDisk(File):
    """Content whose second chunk finds the disk full, as a real upload would."""

    def __init__(self) -> None:
        super().__init__(None, name="bang.pdf")
        self.size = 2 * 64 * 1024

    def chunks(self, chunk_size=None):
        yield b"%PDF" + b"0" * (64 * 1024 - 4)
        raise OSError(errno.ENOSPC, "No space left on device")

    def open(self, mode=None):
        return self


def test_a_full_disk_leaves_no_partial_file(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    with pytest.raises(StorageFull) as err:
        storage.save("evidence/bang.pdf", _FillsTheDisk())
    assert "Chưa có gì được lưu" in str(err.value.message)
    assert err.value.status == 507
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_other_disk_errors_are_not_disguised(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path)

    def denied(*a, **kw):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(PermissionError):
        storage.save("evidence/x.pdf", ContentFile(b"%PDF"))


def test_a_member_whose_evidence_finds_the_disk_full_is_told_and_nothing_is_saved(
    people, client_for, monkeypatch, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "suotdoi.core.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    from django.core.files.storage import FileSystemStorage as DjangoFS

    def full(self, name, content):
        # Django's own _save wrote a part of the file, then the disk filled up.
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(b"%PDF-1.4 partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(DjangoFS, "_save", full)
    c = client_for(people["member"])
    c.cookies["suotdoi_language"] = "vi"
    page = c.get("/record/add/").content.decode()
    key = page.split('name="key" value="')[1].split('"')[0]
    group = people["member"].memberships.filter(unit__code="TCD-001-1").first().unit_id
    r = c.post(
        "/record/add/",
        {
            "key": key,
            "kind": "reading",
            "title": "Truyện Kiều",
            "start_date": "01/11/2026",
            "hours": "2",
            "unit": group,
            "evidence_file": SimpleUploadedFile("bang.pdf", b"%PDF-1.4 " + b"1" * 4096),
        },
    )
    assert r.status_code in (200, 507)
    assert "Máy chủ hiện không còn chỗ lưu tệp" in r.content.decode()
    assert not LearningEntry.objects.filter(person=people["member"]).exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
