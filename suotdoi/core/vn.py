"""Vietnamese identity formats: mobile phone numbers and citizen ID (CCCD) numbers."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE_JUNK = re.compile(r"[\s\-\.\(\)]")
_CCCD = re.compile(r"^[0-9]{12}$")


_MOBILE = re.compile(r"^(?:\+84|84|0)([35789][0-9]{8})$")
# Only ASCII digits, with at most a leading +: no other scripts' digits, no extensions.
_PHONE_CHARS = re.compile(r"^\+?[0-9]{6,15}$")


@lru_cache(maxsize=4096)
def _mobile_prefix_valid(prefix: str) -> bool:
    """Whether numbers starting +84<prefix> (3 digits) are valid mobiles, per libphonenumber."""
    sample = phonenumbers.parse(f"+84{prefix}123456", None)
    return phonenumbers.is_valid_number(sample)


def normalise_phone(raw: str) -> str:
    """Return a Vietnamese phone number in E.164 form (+84…), or raise ValidationError.

    Accepts what people type: "0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678".
    Mobile numbers take a fast path (a regex and a cached per-prefix check against
    libphonenumber's metadata); anything else goes through libphonenumber in full.
    """
    value = _PHONE_JUNK.sub("", str(raw or ""))
    if not value:
        raise ValidationError(_("Enter a phone number."), code="phone_empty")
    if not _PHONE_CHARS.match(value):
        raise ValidationError(
            _("“%(value)s” is not a Vietnamese phone number. Write it like 0912 345 678."),
            code="phone_invalid",
            params={"value": str(raw)[:40]},
        )
    mobile = _MOBILE.match(value)
    if mobile and _mobile_prefix_valid(mobile.group(1)[:3]):
        return "+84" + mobile.group(1)
    if value.startswith("84") and len(value) in (11, 12):
        value = "+" + value
    try:
        parsed = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(value)s” is not a Vietnamese phone number. Write it like 0912 345 678."),
            code="phone_invalid",
            params={"value": raw},
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("“%(value)s” is not a Vietnamese phone number. Write it like 0912 345 678."),
            code="phone_invalid",
            params={"value": raw},
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str | None) -> str:
    """Show a stored number the way Vietnamese people write it: 0912 345 678."""
    if not e164:
        return ""
    try:
        parsed = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    if parsed.country_code == 84:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_cccd(raw: str | None) -> str:
    """A citizen ID (căn cước công dân) has exactly 12 digits."""
    value = re.sub(r"\s", "", str(raw or ""))
    if not _CCCD.match(value):
        raise ValidationError(
            _("A citizen ID (CCCD) has exactly 12 digits; “%(value)s” has %(count)s."),
            code="cccd_invalid",
            params={"value": raw, "count": len(re.sub(r"\D", "", value))},
        )
    return value


def mask_cccd(value: str | None) -> str:
    """Show only the last three digits outside the person's own profile."""
    if not value:
        return ""
    return "•" * (len(value) - 3) + value[-3:]


def hours_text(value) -> str:
    """Hours in a sentence, the way the reader writes numbers: 2 → "2", 2.50 → "2,5" in
    Vietnamese ("2.5" in English). Never "2.00" (Python's str of a Decimal)."""
    from decimal import Decimal, InvalidOperation

    from django.utils import formats

    try:
        d = Decimal(str(value)).normalize()
    except (InvalidOperation, ValueError):
        return str(value)
    if d == d.to_integral():
        return str(int(d))
    return formats.number_format(d, decimal_pos=max(0, -d.as_tuple().exponent), use_l10n=True)


def format_vnd(amount: int) -> str:
    """An amount in đồng as Vietnamese write it: 1.500.000 đ."""
    return f"{int(amount):,}".replace(",", ".") + " đ"
