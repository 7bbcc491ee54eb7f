"""Settings shared by every environment. Environment-specific files only override."""

import json
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)  # SQLite database, cache and uploads of a local install

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "suotdoi.core",
    "suotdoi.audit",
    "suotdoi.people",
    "suotdoi.notifications",
    "suotdoi.organisations",
    "suotdoi.records",
    "suotdoi.records.lrs",
    "suotdoi.credentials",
    "suotdoi.campaigns",
    "suotdoi.catalog",
    "suotdoi.recognition",
    "suotdoi.funding",
    "suotdoi.credits",
    "suotdoi.contests",
    "suotdoi.reports",
    "suotdoi.stories",
    "suotdoi.packages",
    "suotdoi.web",
    "suotdoi.api",
    "suotdoi.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "treebeard",
    "ninja",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "suotdoi.packages.hosts.ContentHostMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "suotdoi.web.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "suotdoi.audit.middleware.AuditContextMiddleware",
    "suotdoi.core.dbrouting.PrimaryAfterWriteMiddleware",
    "suotdoi.core.middleware.DatabaseUnavailableMiddleware",
    "suotdoi.api.middleware.ApiHttpMiddleware",
    "suotdoi.web.middleware.ApplicationErrorMiddleware",
    "suotdoi.organisations.middleware.OfficerTwoFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "suotdoi.notifications.context_processors.notifications",
                "suotdoi.web.context_processors.navigation",
                "suotdoi.web.context_processors.display",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'suotdoi.sqlite3'}",
        # Keep connections between requests (checked before reuse): a new PostgreSQL
        # connection per request costs more than many of our requests themselves.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web server work side by side.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

# A streaming replica for reads that may lag (suotdoi/core/dbrouting.py, issue #26).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 3}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# Behind PgBouncer in transaction mode a cursor cannot outlive its transaction.
if os.environ.get("DB_POOLER") == "transaction":
    for _db in DATABASES.values():
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
DATABASE_ROUTERS = ["suotdoi.core.dbrouting.ReplicaRouter"]
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "15"))
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "10"))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.Person"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and formats: Vietnamese first -------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "suotdoi_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or VAR_DIR / "static")
MEDIA_URL = "/media/"
# Uploads; a server (or a restore drill) may point elsewhere.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "suotdoi.core.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Uploads: refuse huge files before they reach a view -----------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SUOTDOI_MAX_IMPORT_BYTES = 20 * 1024 * 1024

# --- E-learning packages (suotdoi/packages/hosts.py) -------------------------------
# The origin package content is served from: a host outside the platform's cookie domain.
PACKAGE_ORIGIN = os.environ.get("SUOTDOI_PACKAGE_ORIGIN", "").strip().rstrip("/")
# Without one (development, tests) the loopback names stand in for each other.
PACKAGE_ORIGIN_SWAP: dict[str, str] = {}
PACKAGE_MAX_BYTES = 300 * 1024 * 1024
PACKAGE_MAX_UNPACKED = 800 * 1024 * 1024
PACKAGE_MAX_FILES = 5000

# --- Credentials -------------------------------------------------------------------

# Where the platform is reached from outside: credential, achievement and status-list URLs.
# The address credentials, QR codes and links are built on. In development it follows the port
# `make run PORT=…` serves on, so printed links and QR codes open.
PUBLIC_URL = os.environ.get("SUOTDOI_PUBLIC_URL") or (
    f"http://127.0.0.1:{os.environ.get('PORT', '').strip() or '8000'}"
)
PLATFORM_ISSUER_NAME = "Nền tảng học tập suốt đời Suốt Đời"
# Fernet keys that encrypt issuers' private keys, newest first; empty = derived from SECRET_KEY
# (development and tests only: production requires the variable).
KEY_ENCRYPTION_KEYS = [
    k.strip() for k in os.environ.get("SUOTDOI_KEY_ENCRYPTION_KEYS", "").split(",") if k.strip()
]
# CCCD numbers: Fernet keys that encrypt them and HMAC keys for their lookup column, each
# comma-separated, newest first (suotdoi/core/fieldcrypto.py); empty = derived from SECRET_KEY
# (development and tests only: production requires both variables).
PERSONAL_DATA_KEYS = [
    k.strip() for k in os.environ.get("SUOTDOI_PERSONAL_DATA_KEYS", "").split(",") if k.strip()
]
LOOKUP_KEYS = [k.strip() for k in os.environ.get("SUOTDOI_LOOKUP_KEYS", "").split(",") if k.strip()]
# The VC-API issue endpoint, for test suites and integrators: off unless switched on.
VC_API_ISSUER_ENABLED = os.environ.get("VC_API_ISSUER_ENABLED", "") in ("1", "true", "on")
VC_API_TOKEN = os.environ.get("VC_API_TOKEN", "")

# --- Background tasks: Django's tasks API, stored in the database ---------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Workers beat; a task whose worker is silent for the lease is queued again (core/worker.py).
WORKER_BEAT_SECONDS = float(os.environ.get("WORKER_BEAT_SECONDS", "5"))
WORKER_LEASE_SECONDS = float(os.environ.get("WORKER_LEASE_SECONDS", "30"))
WORKER_MAX_ATTEMPTS = 3

# Requests a minute each API token may make (429 beyond).
API_TOKEN_REQUESTS_PER_MINUTE = int(os.environ.get("API_TOKEN_REQUESTS_PER_MINUTE", "600"))

# Webhook addresses must be https and outside our own network (no SSRF); tests and local
# development receive on 127.0.0.1.
WEBHOOKS_ALLOW_HTTP = False
WEBHOOKS_ALLOW_PRIVATE = False
# Web Push (notifications/push.py): the server's VAPID key as PEM (`manage.py vapid_key` makes
# one); without it push is off and the page does not offer it. The subject is how a push
# service reaches the operator.
WEB_PUSH_VAPID_PRIVATE_KEY = os.environ.get("WEB_PUSH_VAPID_PRIVATE_KEY", "").replace("\\n", "\n")
WEB_PUSH_SUBJECT = os.environ.get("WEB_PUSH_SUBJECT", "mailto:quan-tri@suotdoi.local")
WEB_PUSH_ALLOW_HTTP = WEB_PUSH_ALLOW_PRIVATE = False

# --- Accounts (django-allauth) --------------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
ACCOUNT_ADAPTER = "suotdoi.people.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "email", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "suotdoi.people.forms.SignupExtraForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# Phones are verified by a code sent by SMS (suotdoi.core.sms), at sign-up and on change; the
# same codes sign people in ("send me a code") and let them choose a new password.
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = 2
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = 2
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 5 * 60
# Six digits: typed on a phone's number pad, read out by an elderly member to an officer.
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_FORMS = {"request_login_code": "suotdoi.people.code_forms.RequestLoginCodeForm"}
SMS_BACKEND = os.environ.get("SMS_BACKEND", "suotdoi.core.sms.FileBackend")
SMS_FILE_PATH = VAR_DIR / "sms-outbox.jsonl"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Sign-up must say clearly that a phone or email is taken (rate limits slow probing).
ACCOUNT_PREVENT_ENUMERATION = False
# Failed sign-ins are limited per client address and per account (the typed phone number,
# normalised, or the email): five wrong passwords for one phone hold back that phone only.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    # Codes cost an SMS and open an account: few per phone, few per address.
    "request_login_code": "10/m/ip,3/15m/key",
    # A typo (or a number already taken) must not lock the form for long; still few SMS.
    "verify_phone": "3/5m/key,10/m/ip",
    "change_phone": "3/5m/user",
}
# Proxies in front of the app that append to X-Forwarded-For (1 behind the documented load
# balancer, 0 when the app faces clients directly). Sign-in limits, public checks and audit rows
# read the client's address through suotdoi.core.clients.client_ip.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
MFA_FORMS = {"authenticate": "suotdoi.people.forms.TwoFactorCodeForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Suốt Đời"
# Accept the code of the previous or next 30-second step: slow typing and clock drift
# (RFC 6238 section 5.2 recommends allowing one step).
MFA_TOTP_TOLERANCE = 1

# OpenID Connect sign-in (VNeID, a province's identity server…): any number of providers, as a
# JSON list in SUOTDOI_OIDC_PROVIDERS, each {"id", "name", "server_url", "client_id", "secret"}
# and optionally "cccd_claim" (the claim that carries the citizen ID; default "cccd") and
# "scope". A first sign-in joins an existing person only by a CCCD claim or a phone number the
# provider verified (suotdoi/people/oidc.py).
OIDC_PROVIDERS = json.loads(os.environ.get("SUOTDOI_OIDC_PROVIDERS", "") or "[]")


def oidc_socialaccount_providers(providers: list[dict]) -> dict:
    apps = [
        {
            "provider_id": p["id"],
            "name": p.get("name") or p["id"],
            "client_id": p["client_id"],
            "secret": p.get("secret", ""),
            "settings": {
                "server_url": p["server_url"],
                "cccd_claim": p.get("cccd_claim", "cccd"),
                **({"scope": p["scope"]} if p.get("scope") else {}),
                "oauth_pkce_enabled": True,
            },
        }
        for p in providers
    ]
    return {
        "openid_connect": {
            "provider_class": "suotdoi.people.oidc.NationalOIDCProvider",
            "OAUTH_PKCE_ENABLED": True,
            "APPS": apps,
        }
    }


def oidc_form_action(providers: list[dict]) -> list[str]:
    """Sign-in forms post to us and we redirect to the provider: CSP's form-action must name it."""
    from urllib.parse import urlsplit

    return sorted({"{0.scheme}://{0.netloc}".format(urlsplit(p["server_url"])) for p in providers})


SOCIALACCOUNT_PROVIDERS = oidc_socialaccount_providers(OIDC_PROVIDERS)
SOCIALACCOUNT_ADAPTER = "suotdoi.people.oidc.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never join accounts by an email claim
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False

DEFAULT_FROM_EMAIL = "Suốt Đời <no-reply@suotdoi.local>"

# --- Security ------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF, *oidc_form_action(OIDC_PROVIDERS)],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.tasks": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# --- Cache: shared by the web server and the task worker (rate limits, import progress) ---
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}

# Reminders by text for people without the app (#27; notifications/texts.py): Zalo ZNS through
# the platform's Official Account when configured, else SMS; each unit's monthly allowance.
ZALO_ZNS_URL = os.environ.get("ZALO_ZNS_URL", "https://business.openapi.zalo.me/message/template")
ZALO_ZNS_ACCESS_TOKEN = os.environ.get("ZALO_ZNS_ACCESS_TOKEN", "")
ZALO_ZNS_TEMPLATE_ID = os.environ.get("ZALO_ZNS_TEMPLATE_ID", "")
TEXT_MONTHLY_CAP_PER_UNIT = int(os.environ.get("TEXT_MONTHLY_CAP_PER_UNIT", "300"))
