"""Local development: `make run`. Never used in production."""

from .base import *  # noqa: F403

DEBUG = True
SUOTDOI_DEMO = True
SECRET_KEY = "dev-only-not-secret-suotdoi"  # noqa: S105 - development only, refused by prod
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
PACKAGE_ORIGIN_SWAP = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "suotdoi.core.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
WEBHOOKS_ALLOW_HTTP = WEBHOOKS_ALLOW_PRIVATE = True  # receivers on 127.0.0.1
WEB_PUSH_ALLOW_HTTP = WEB_PUSH_ALLOW_PRIVATE = True  # a push service on 127.0.0.1


def _dev_vapid_key() -> str:
    """A VAPID key for this checkout (var/vapid-private.pem, made once)."""
    from suotdoi.core.vapid import new_private_pem

    path = VAR_DIR / "vapid-private.pem"  # noqa: F405
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new_private_pem())
        path.chmod(0o600)
    return path.read_text()


WEB_PUSH_VAPID_PRIVATE_KEY = WEB_PUSH_VAPID_PRIVATE_KEY or _dev_vapid_key()  # noqa: F405
