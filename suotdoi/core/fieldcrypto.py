"""Personal identifiers encrypted at rest (CCCD numbers), found again by a keyed hash.

Two kinds of key, both from the environment and both rotatable, newest first:
- `SUOTDOI_PERSONAL_DATA_KEYS`: Fernet keys that encrypt the value. Any listed key decrypts;
  the first encrypts. `manage.py rotate_personal_data_keys` re-encrypts every row with it.
- `SUOTDOI_LOOKUP_KEYS`: HMAC-SHA256 keys for the lookup column. A lookup tries every listed key
  (rows not yet re-hashed still match); writes and the rotation command use the first.
Development and tests derive one of each from SECRET_KEY; production refuses to start without
them (config/settings/prod.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

_fernets: dict[tuple[str, ...], MultiFernet] = {}


def _derived(label: str) -> str:
    digest = hashlib.sha256(f"suotdoi.{label}:".encode() + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def _data_keys() -> tuple[str, ...]:
    return tuple(getattr(settings, "PERSONAL_DATA_KEYS", ()) or ()) or (_derived("personal"),)


def _lookup_keys() -> tuple[str, ...]:
    return tuple(getattr(settings, "LOOKUP_KEYS", ()) or ()) or (_derived("lookup"),)


def _fernet() -> MultiFernet:
    keys = _data_keys()
    if keys not in _fernets:
        _fernets[keys] = MultiFernet([Fernet(k) for k in keys])
    return _fernets[keys]


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The plain value; raises ValueError when no configured key opens it."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("no configured key decrypts this value") from exc


def reencrypt(token: str) -> str:
    """The same value under the newest key (unchanged text if it already is)."""
    try:
        Fernet(_data_keys()[0]).decrypt(token.encode())
        return token
    except InvalidToken:
        return _fernet().rotate(token.encode()).decode()


def _hash(key: str, kind: str, value: str) -> str:
    return hmac.new(key.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def lookup_hash(kind: str, value: str) -> str:
    """The keyed hash written beside a value (newest lookup key)."""
    return _hash(_lookup_keys()[0], kind, value)


def lookup_hashes(kind: str, value: str) -> list[str]:
    """Every hash the value may be stored under while lookup keys rotate."""
    return [_hash(k, kind, value) for k in _lookup_keys()]
