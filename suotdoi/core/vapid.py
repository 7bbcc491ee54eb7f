"""A new VAPID key (P-256) as PEM text, for Web Push (notifications/push.py). Used by
`manage.py vapid_key` and by the development and test settings, so it imports nothing from
Django."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def new_private_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
