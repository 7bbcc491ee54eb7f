"""Pure rules of stories: what a consent is given to, who must give it, and how a photo is
made safe to publish (re-encoded, EXIF gone, bounded in size)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

from django.utils.translation import gettext as _

from suotdoi.core.errors import ValidationFailed

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel picture; anything larger is refused unread
FULL_EDGE, THUMB_EDGE = 1200, 480
ADULT_AGE = 18


def content_hash(*, title: str, body: str, short_text: str, photos: list[tuple]) -> str:
    """What the subject is asked to agree to: the words and each photo with its caption. An
    edit after consent changes it, and the consent no longer covers the story."""
    payload = json.dumps([title, body, short_text, sorted(photos)], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def is_minor(date_of_birth: dt.date | None, today: dt.date) -> bool:
    if date_of_birth is None:
        return False
    years = (
        today.year
        - date_of_birth.year
        - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))
    )
    return years < ADULT_AGE


def safe_photo(upload) -> tuple[bytes, bytes, int, int]:
    """The upload re-encoded as JPEG, at most 1,200 px and a 480 px copy, turned upright by its
    EXIF orientation and then written without any EXIF, GPS or comment. Refuses what is not a
    JPEG, PNG or WebP picture, what is too large, and decompression bombs."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationFailed(_("A photo may be at most 10 MB."), code="photo_too_big")
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ("JPEG", "PNG", "WEBP"):
                raise ValidationFailed(
                    _("A photo must be a JPEG, PNG or WebP picture."), code="photo_type"
                )
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationFailed(_("This picture is too large."), code="photo_pixels")
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            im = ImageOps.exif_transpose(im)
            if im.mode not in ("RGB", "L"):
                background = Image.new("RGB", im.size, "white")
                background.paste(im.convert("RGBA"), mask=im.convert("RGBA").split()[-1])
                im = background
            im = im.convert("RGB")
            full = im.copy()
            full.thumbnail((FULL_EDGE, FULL_EDGE))
            thumb = im.copy()
            thumb.thumbnail((THUMB_EDGE, THUMB_EDGE))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise ValidationFailed(
            _("This file is not a picture we can read."), code="photo_unreadable"
        ) from exc
    out_full, out_thumb = io.BytesIO(), io.BytesIO()
    full.save(out_full, "JPEG", quality=78, optimize=True, progressive=True)
    thumb.save(out_thumb, "JPEG", quality=70, optimize=True, progressive=True)
    return out_full.getvalue(), out_thumb.getvalue(), full.width, full.height
