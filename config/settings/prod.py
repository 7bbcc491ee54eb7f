"""Production: everything that differs comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


DEBUG = False
SUOTDOI_DEMO = False
SECRET_KEY = _env("SECRET_KEY")
if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured("Set the DATABASE_URL environment variable.")
ALLOWED_HOSTS = [h.strip() for h in _env("ALLOWED_HOSTS").split(",") if h.strip()]
PUBLIC_URL = _env("SUOTDOI_PUBLIC_URL")
KEY_ENCRYPTION_KEYS = [
    k.strip() for k in _env("SUOTDOI_KEY_ENCRYPTION_KEYS").split(",") if k.strip()
]
PERSONAL_DATA_KEYS = [k.strip() for k in _env("SUOTDOI_PERSONAL_DATA_KEYS").split(",") if k.strip()]
LOOKUP_KEYS = [k.strip() for k in _env("SUOTDOI_LOOKUP_KEYS").split(",") if k.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]
# The host e-learning packages are served from answers too (only content there: hosts.py),
# and is never a trusted origin for the platform's forms.
if os.environ.get("SUOTDOI_PACKAGE_ORIGIN", "").strip():
    from urllib.parse import urlsplit as _split

    ALLOWED_HOSTS.append(_split(os.environ["SUOTDOI_PACKAGE_ORIGIN"].strip()).hostname or "")

SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true") == "true"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "true") == "true"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# One-time codes by SMS go to the operator's HTTP gateway (suotdoi/core/sms.py).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "suotdoi.core.sms.HttpGatewayBackend")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_SENDER = os.environ.get("SMS_SENDER", "SuotDoi")

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", "/var/cache/suotdoi"),
        }
    }
