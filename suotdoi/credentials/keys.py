"""Issuer keys: Ed25519 pairs whose private halves are encrypted at rest.

The encryption keys come from the environment (`SUOTDOI_KEY_ENCRYPTION_KEYS`, Fernet keys,
comma-separated, newest first, so the master key itself can be rotated). Development and tests
derive one from SECRET_KEY; production refuses to start without the variable.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings

from . import dataintegrity as di

_cache: dict[tuple[str, ...], MultiFernet] = {}


def _fernet() -> MultiFernet:
    keys = tuple(getattr(settings, "KEY_ENCRYPTION_KEYS", ()) or ())
    if not keys:
        digest = hashlib.sha256(b"suotdoi.credentials.keys:" + settings.SECRET_KEY.encode())
        keys = (base64.urlsafe_b64encode(digest.digest()).decode(),)
    if keys not in _cache:
        _cache[keys] = MultiFernet([Fernet(k) for k in keys])
    return _cache[keys]


def encrypt_private_key(key: Ed25519PrivateKey) -> bytes:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return _fernet().encrypt(raw)


def decrypt_private_key(blob: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_fernet().decrypt(bytes(blob)))


def new_key_fields() -> dict:
    """Fields of a fresh IssuerKey row."""
    key = Ed25519PrivateKey.generate()
    pub = key.public_key()
    return {
        "did": di.did_key(pub),
        "public_multibase": di.public_multibase(pub),
        "private_key_encrypted": encrypt_private_key(key),
    }


_private_cache: dict[tuple[str, bytes], Ed25519PrivateKey] = {}


def private_key_of(issuer_key) -> Ed25519PrivateKey:
    """Decrypt once per process; the decrypted key never leaves this module's callers."""
    cache_key = (issuer_key.public_multibase, bytes(issuer_key.private_key_encrypted))
    key = _private_cache.get(cache_key)
    if key is None:
        key = decrypt_private_key(issuer_key.private_key_encrypted)
        if di.public_multibase(key.public_key()) != issuer_key.public_multibase:
            raise ValueError("stored private key does not match its public key")
        _private_cache[cache_key] = key
    return key
