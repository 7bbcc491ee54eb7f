"""The test suite: fast hashing, tasks run inline, mail kept in memory."""

from suotdoi.core.vapid import new_private_pem

from .base import *  # noqa: F403

DEBUG = False
SUOTDOI_DEMO = True
SECRET_KEY = "test-only-not-secret-suotdoi"  # noqa: S105 - tests only
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PACKAGE_ORIGIN_SWAP = {
    "127.0.0.1": "localhost",
    "localhost": "127.0.0.1",
    "testserver": "localhost",
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "suotdoi.core.sms.MemoryBackend"
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "1000/m/ip",
    "reset_password": "1000/m/ip",
    "change_phone": "3/5m/user",
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PUBLIC_URL = "http://127.0.0.1:8000"  # fixed, whatever PORT the shell has
WEBHOOKS_ALLOW_HTTP = WEBHOOKS_ALLOW_PRIVATE = True  # receivers on 127.0.0.1
WEB_PUSH_ALLOW_HTTP = WEB_PUSH_ALLOW_PRIVATE = True  # a push service on 127.0.0.1


WEB_PUSH_VAPID_PRIVATE_KEY = new_private_pem()
