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
