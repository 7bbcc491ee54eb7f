"""Uploaded files on the local disk, with a clear error when the disk or its quota is full
(issue #26). Django's FileSystemStorage leaves the part it managed to write; here it is
removed and the caller gets a StorageFull it can show — nothing is half-written."""

from __future__ import annotations

import errno
import os

from django.core.files.storage import FileSystemStorage as _FileSystemStorage
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError

FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class StorageFull(ApplicationError):
    code = "storage_full"
    status = 507
    default_message = _(
        "The server has no room for files right now. Nothing was saved; please try again later."
    )


class FileSystemStorage(_FileSystemStorage):
    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError as exc:
            if exc.errno not in FULL:
                raise
            # The name is the one _save created (exclusively): what is there is our part.
            try:
                os.remove(self.path(name))
            except FileNotFoundError:
                pass
            import logging

            logging.getLogger(__name__).error("upload storage full: %s (%s)", exc, name)
            raise StorageFull() from exc
