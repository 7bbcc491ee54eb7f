"""Two packaged courses in the demo catalogue (the quiz packages in suotdoi/demo/packages/,
written for the demo and the tests): one SCORM 2004, one cmi5, both published."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

PACKAGES = Path(__file__).resolve().parent / "packages"


def package_zip(name: str, *, extra: dict[str, bytes] | None = None, drop: tuple = ()) -> bytes:
    """The package `name` (scorm12, scorm2004, cmi5) as a zip, with files added or left out
    (the tests craft bad packages this way)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        files = {p.name: p.read_bytes() for p in (PACKAGES / name).iterdir() if p.is_file()}
        files |= {p.name: p.read_bytes() for p in (PACKAGES / "common").iterdir() if p.is_file()}
        files |= extra or {}
        for fname, data in sorted(files.items()):
            if fname not in drop:
                zf.writestr(fname, data)
    return out.getvalue()


def seed_packages(world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from suotdoi.catalog import actions as cat
    from suotdoi.catalog.models import Provider
    from suotdoi.packages.actions import package_upload

    officer = world.people["provincial_officer"]
    provider = Provider.objects.get(unit=world.units["clc"])
    for kind, title in (
        ("scorm2004", "Học tập suốt đời là gì? (gói SCORM 2004)"),
        ("cmi5", "Học tập suốt đời là gì? (gói cmi5)"),
    ):
        course = cat.course_create(
            actor=officer,
            provider=provider,
            title=title,
            summary="Bốn câu hỏi ngắn về học tập suốt đời, nhập từ một gói e-learning: "
            "làm dở rồi đóng lại, mở lại trên máy khác vẫn tiếp tục đúng chỗ.",
            category="life",
            format="online",
            hours=Decimal("0.5"),
        )
        data = package_zip(kind)
        package_upload(
            actor=officer,
            course=course,
            upload=SimpleUploadedFile(f"{kind}.zip", data, content_type="application/zip"),
        )
        cat.course_submit(actor=officer, course=course)
        cat.course_publish(actor=officer, course=course)
