"""Zips of the packages in suotdoi/demo/packages/ (written for the demo and these tests), and
of crafted bad ones."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from suotdoi.demo.packages_seed import package_zip

__all__ = ["package_zip", "upload", "zip_of"]


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


def upload(data: bytes, name: str = "goi.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")
