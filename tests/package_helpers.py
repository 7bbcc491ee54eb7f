"""Zips of the packages in tests/packages/ (authored for these tests), and crafted bad ones."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

HERE = Path(__file__).resolve().parent / "packages"


def package_zip(name: str, *, extra: dict[str, bytes] | None = None, drop: tuple = ()) -> bytes:
    """The package `name` (scorm12, scorm2004, cmi5) as a zip, with files added or left out."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        files = {p.name: p.read_bytes() for p in (HERE / name).iterdir() if p.is_file()}
        files |= {p.name: p.read_bytes() for p in (HERE / "common").iterdir() if p.is_file()}
        files |= extra or {}
        for fname, data in sorted(files.items()):
            if fname not in drop:
                zf.writestr(fname, data)
    return out.getvalue()


def zip_of(files: dict[str, bytes], **kw) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


def upload(data: bytes, name: str = "goi.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")
