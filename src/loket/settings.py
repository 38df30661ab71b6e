"""Loket settings, read from the environment only.

Embedded mode (the default) needs no configuration at all: a SQLite database, uploaded
files, a generated secret key and data key all live in the data directory. At scale the same
code runs against PostgreSQL, Redis and S3-compatible storage, switched by environment
variables (see docs/operations.md for the full list).
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "loket"


PRODUCTION = env_bool("LOKET_PRODUCTION")
TESTING = env_bool("LOKET_TESTING", default="pytest" in sys.modules)
if TESTING and not env("LOKET_DATA_DIR"):
    os.environ["LOKET_DATA_DIR"] = tempfile.mkdtemp(prefix="loket-test-")
DATA_DIR = Path(env("LOKET_DATA_DIR") or default_data_dir()).expanduser().resolve()


def _secret_from_file(filename: str) -> str:
    """Return a random secret kept in the data directory, creating it on first use."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / filename
    if not path.exists():
        # O_EXCL: two processes starting together must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = env("LOKET_SECRET_KEY")
DATA_KEY = env("LOKET_DATA_KEY")
if PRODUCTION:
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "LOKET_SECRET_KEY must be set to a random value of at least 50 characters "
            "in production."
        )
    if len(DATA_KEY) < 32:
        raise ImproperlyConfigured(
            "LOKET_DATA_KEY must be set (at least 32 characters) in production: it encrypts "
            "NIK and keys the blind indexes. Keep it in your secret store and never change it."
        )
else:
    SECRET_KEY = SECRET_KEY or _secret_from_file("secret_key")
    DATA_KEY = DATA_KEY or _secret_from_file("data_key")

DEBUG = env_bool("LOKET_DEBUG", default=False) and not PRODUCTION
SITE_URL = env("LOKET_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env_list("LOKET_ALLOWED_HOSTS") or (
    [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("LOKET_ALLOWED_HOSTS must list the host names in production.")
CSRF_TRUSTED_ORIGINS = env_list("LOKET_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "loket.core",
    "loket.accounts",
    "loket.organizations",
    "loket.notifications",
    "loket.workflow",
    "loket.complaints",
    "loket.portal",
    "loket.backoffice",
    "loket.api",
    "loket.catalog",
    "loket.surveys",
    "loket.applications",
    "loket.documents",
    "loket.payments",
    "loket.core.admin_site.LoketAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_tasks_db",
]
if TESTING:
    INSTALLED_APPS.append("tests.workflow_testapp")  # a concrete subject for the workflow tests

MIDDLEWARE = [
    "loket.core.middleware.RequestIdMiddleware",
    "loket.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "loket.accounts.middleware.ActiveAccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "loket.accounts.middleware.OfficerSecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
    "loket.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "loket.urls"
WSGI_APPLICATION = "loket.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "loket.core.context_processors.loket",
                "loket.backoffice.context_processors.backoffice",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "loket.sqlite3"
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}"
_db: dict[str, Any] = dict(dj_database_url.parse(DATABASE_URL, conn_max_age=0))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the writer work together; IMMEDIATE transactions take the write
    # lock up front so concurrent writers wait (busy timeout) instead of failing mid-way.
    _db["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a real file (not shared-cache memory) so locking behaves as in production.
    _db["TEST"] = {"NAME": env("LOKET_TEST_SQLITE") or str(DATA_DIR / "test.sqlite3")}
else:
    _db["CONN_MAX_AGE"] = int(env("LOKET_DB_CONN_MAX_AGE", "60"))
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) speed up PostgreSQL; SQLite builds the same index without the
# extra columns, which is what it needs at embedded sizes.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Cache ----------------------------------------------------------------------------------
CACHE_URL = env("LOKET_CACHE_URL")
# unix:///run/redis/redis.sock?db=0 when Redis runs on the same machine (no TCP on the way).
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
elif CACHE_URL == "locmem" or TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "loket_cache",
        }
    }

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "notifications", "sweeps"],
    }
}

# --- Storage --------------------------------------------------------------------------------
MEDIA_ROOT = DATA_DIR / "media"
STATIC_ROOT = DATA_DIR / "static"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # vendored libraries and loket/ assets
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media-never-served/"
S3_BUCKET = env("LOKET_S3_BUCKET")
if S3_BUCKET:
    _files_backend: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("LOKET_S3_ENDPOINT_URL") or None,
            "region_name": env("LOKET_S3_REGION") or None,
            "access_key": env("LOKET_S3_ACCESS_KEY") or None,
            "secret_key": env("LOKET_S3_SECRET_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _files_backend = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
STORAGES = {
    "default": _files_backend,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = False
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
LOKET_UPLOAD_MAX_BYTES = int(env("LOKET_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
LOKET_IMAGE_MAX_PIXELS = int(env("LOKET_IMAGE_MAX_PIXELS", str(40_000_000)))

# --- Email, SMS, WhatsApp -------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("LOKET_EMAIL_FROM", "Loket <no-reply@loket.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Django 6.1 configures email through MAILERS (the EMAIL_BACKEND/EMAIL_HOST settings are
# deprecated and may not be combined with it).
if env("LOKET_SMTP_HOST"):
    _mailer: dict[str, Any] = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env("LOKET_SMTP_HOST"),
            "port": int(env("LOKET_SMTP_PORT", "587")),
            "username": env("LOKET_SMTP_USER"),
            "password": env("LOKET_SMTP_PASSWORD"),
            "use_tls": env_bool("LOKET_SMTP_TLS", True),
            "timeout": 10,
        },
    }
elif TESTING:
    _mailer = {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
else:
    # Embedded mode: every email is written as a file the operator can open.
    _mailer = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(DATA_DIR / "outbox" / "email")},
    }
MAILERS = {"default": _mailer}

# Text-message providers: "console" (write to the data dir outbox) or "http" (JSON over HTTPS
# to a gateway; see loket/notifications/providers.py for the wire format).
LOKET_SMS_PROVIDER = env("LOKET_SMS_PROVIDER", "console")
LOKET_SMS_URL = env("LOKET_SMS_URL")
LOKET_SMS_TOKEN = env("LOKET_SMS_TOKEN")
LOKET_WHATSAPP_PROVIDER = env("LOKET_WHATSAPP_PROVIDER", "console")
LOKET_WHATSAPP_URL = env("LOKET_WHATSAPP_URL")
LOKET_WHATSAPP_TOKEN = env("LOKET_WHATSAPP_TOKEN")
LOKET_OUTBOX_DIR = DATA_DIR / "outbox"
LOKET_PROVIDER_TIMEOUT = float(env("LOKET_PROVIDER_TIMEOUT", "10"))
LOKET_MAP_TILE_URL = env("LOKET_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")

# --- Identity -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "loket.accounts.passwords.OfficerPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

ACCOUNT_ADAPTER = "loket.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "loket.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
# Sign-up is Loket's own view (accounts:signup: email OR phone, confirmed by a one-time code);
# allauth's sign-up is closed by the adapter. These fields only tell allauth what a user has.
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_RATE_LIMITS = False if TESTING else {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("LOKET_MFA_ISSUER", "Loket")
MFA_RECOVERY_CODE_COUNT = 10
MFA_ADAPTER = "loket.accounts.mfa.MFAAdapter"

AXES_FAILURE_LIMIT = int(env("LOKET_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
# Failures are counted (and stored) per keyed hash of the normalised email/phone.
AXES_USERNAME_CALLABLE = "loket.accounts.adapter.axes_username"
AXES_CLIENT_STR_CALLABLE = "loket.accounts.adapter.axes_client_str"
AXES_DISABLE_ACCESS_LOG = True  # successful logins would be stored under the clear email
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "login", "email", "phone"]
AXES_ENABLE_ADMIN = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

SESSION_COOKIE_AGE = int(env("LOKET_SESSION_SECONDS", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("LOKET_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_tile_origin = "/".join(LOKET_MAP_TILE_URL.split("/")[:3]) if "://" in LOKET_MAP_TILE_URL else ""
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:", *([_tile_origin] if _tile_origin else [])],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("LOKET_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("LOKET_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("LOKET_HSTS_PRELOAD", False)
    # A government subdomain (loket.lampungprov.go.id) cannot be put on the browsers' preload
    # list; only the owner of the registrable domain can. Opt in with LOKET_HSTS_PRELOAD=1.
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if not env("DATABASE_URL"):
        raise ImproperlyConfigured(
            "DATABASE_URL must point at PostgreSQL in production "
            "(the embedded SQLite file is for one machine only)."
        )

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Keys in the api_key parameter are accepted only by views that opt in (Open311):
    # loket.api.authentication.ApiKeyAuthentication.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "loket.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "loket.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "loket.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "loket.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "loket.api.throttling.AnonThrottle",
        "loket.api.throttling.UserThrottle",
        "loket.api.throttling.IntegratorThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("LOKET_API_ANON_RATE", "120/min"),
        "user": env("LOKET_API_USER_RATE", "600/min"),
        "integrator": env("LOKET_API_INTEGRATOR_RATE", "1200/min"),
        "write": env("LOKET_API_WRITE_RATE", "30/min"),
    },
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Loket API",
    "DESCRIPTION": (
        "REST API of Loket, the one-door public-service platform. Versioned by URL prefix "
        "(/api/v1/). Every error has one shape (component Error). See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "ENUM_NAME_OVERRIDES": {
        "UserKindEnum": "loket.accounts.models.User.Kind",
        "RegionKindEnum": "loket.organizations.models.Region.Kind",
        "RegionLevelEnum": "loket.organizations.models.Region.Level",
    },
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "loket.core.logging.RedactPersonalData"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOKET_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}

# --- Loket ----------------------------------------------------------------------------------
LOKET_TASK_STALE_SECONDS = int(env("LOKET_TASK_STALE_SECONDS", "900"))
LOKET_SCHEDULER_TICK_SECONDS = float(env("LOKET_SCHEDULER_TICK_SECONDS", "30"))
# Payments: HMAC-SHA256 key of provider callbacks (empty: every callback is refused) and the
# citizen-facing payment simulator (on by default outside production only).
LOKET_PAYMENT_CALLBACK_SECRET = env("LOKET_PAYMENT_CALLBACK_SECRET")
LOKET_PAYMENT_SIMULATOR = env_bool("LOKET_PAYMENT_SIMULATOR", default=not PRODUCTION)
