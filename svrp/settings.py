"""Settings of the SVRP Portal: one module, configured by the environment (django-environ).

A bad or missing value stops start-up with one line naming the variable (see ``_fail``), never a
traceback. Production values are documented in README.md and docker-compose.yml.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def _fail(message: str) -> NoReturn:
    """Stop start-up with a one-line message naming the variable at fault."""
    sys.stderr.write(f"SVRP configuration error: {message}\n")
    raise SystemExit(2)


env = environ.Env()


def _read(name: str, cast: Any, default: Any) -> Any:
    try:
        return env.get_value(name, cast=cast, default=default)
    except (ValueError, TypeError, environ.ImproperlyConfigured) as exc:
        _fail(f"{name} has a bad value ({exc}).")


# --- Core ---------------------------------------------------------------------------------------

DEBUG: bool = _read("DEBUG", bool, False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        _fail("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS: list[str] = _read("ALLOWED_HOSTS", list, ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    _fail("ALLOWED_HOSTS must name the portal's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS: list[str] = _read("CSRF_TRUSTED_ORIGINS", list, [])

SITE_URL: str = _read("SITE_URL", str, "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_celery_beat",
    "django_celery_results",
    "django_htmx",
    "simple_history",
    "import_export",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # axes before core: its sign-in signal receivers flag a locked-out request before core's audit runs.
    "axes",
    "core",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "governance",
    "crest",
    "performance",
    "duty",
    "search",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user.is_verified(); then core lets an unverified user reach only the two-factor,
    # sign-out and public pages.
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.TwoFactorMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "svrp.middleware.PermissionsPolicyMiddleware",
    "svrp.middleware.PrivateCacheMiddleware",
    # Last: turns a sign-in refused for a locked-out account into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "svrp.urls"
WSGI_APPLICATION = "svrp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "svrp.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------

_SQLITE_DEFAULT = f"sqlite:///{VAR_DIR / 'svrp.sqlite3'}"
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # django-environ warns, then returns a broken config
        _db = env.db_url("DATABASE_URL", default=_SQLITE_DEFAULT)
except Exception as exc:  # django-environ raises several types for a malformed URL
    _fail(f"DATABASE_URL is not a valid database URL ({exc}).")
if _db.get("ENGINE") not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
    _fail("DATABASE_URL must be a sqlite:// or postgres:// URL.")
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # A web server, a worker and beat write at once under `make run`: without IMMEDIATE
    # transactions and a busy timeout SQLite answers "database is locked" (TRAPS.md).
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    _db.setdefault("CONN_MAX_AGE", _read("CONN_MAX_AGE", int, 60))
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------------
# Fragments rendered once per content version (core.fragments, ADR 0004) and the dashboard's charts.
# Per process by default; with CACHE_URL at Redis the workers of every host share them, so a page is
# rendered once per change, not once per worker. Pages still work if the cache cannot be reached.
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _cache = env.cache_url("CACHE_URL", default="locmemcache://svrp")
except Exception as exc:  # django-environ raises several types for a malformed URL
    _fail(f"CACHE_URL is not a valid cache URL ({exc}).")
_cache.setdefault("KEY_PREFIX", "svrp")
CACHES = {"default": _cache}

# --- Authentication -----------------------------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_AGE: int = _read("SESSION_COOKIE_AGE", int, 60 * 60 * 2)
SESSION_SAVE_EVERY_REQUEST = True  # the age above counts from the last request: inactivity expiry
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

DEMO_PASSWORD: str = env.str("DEMO_PASSWORD", default="")

# django-axes checks every sign-in first: a locked-out account is refused before its password is tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Two-factor login (django-otp): required for VRU staff and administrators when on (core.twofactor).
# Off by default with DEBUG on, so the demo accounts of `make run` sign in with a password only.
SVRP_REQUIRE_2FA: bool = _read("SVRP_REQUIRE_2FA", bool, not DEBUG)
OTP_TOTP_ISSUER = "SVRP Portal"

# Lockout (django-axes): by username, wherever the attempts come from.
AXES_ENABLED: bool = _read("AXES_ENABLED", bool, True)
AXES_FAILURE_LIMIT: int = _read("AXES_FAILURE_LIMIT", int, 5)
if AXES_FAILURE_LIMIT < 1:
    _fail("AXES_FAILURE_LIMIT must be 1 or more.")
_cooloff_minutes: int = _read("AXES_COOLOFF_MINUTES", int, 30)
if _cooloff_minutes < 1:
    _fail("AXES_COOLOFF_MINUTES must be 1 or more.")
AXES_COOLOFF_TIME = timedelta(minutes=_cooloff_minutes)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.views.locked_out"
AXES_VERBOSE = False

# Accounts (core.accounts): an invitation's link lasts this many days; a password reset link lasts
# PASSWORD_RESET_TIMEOUT. Reset requests are limited per address and per IP address in each window.
SVRP_INVITATION_DAYS: int = _read("SVRP_INVITATION_DAYS", int, 7)
if SVRP_INVITATION_DAYS < 1:
    _fail("SVRP_INVITATION_DAYS must be 1 or more.")
PASSWORD_RESET_TIMEOUT: int = _read("PASSWORD_RESET_TIMEOUT", int, 60 * 60)
SVRP_PASSWORD_RESET_PER_ADDRESS: int = _read("SVRP_PASSWORD_RESET_PER_ADDRESS", int, 3)
SVRP_PASSWORD_RESET_PER_IP: int = _read("SVRP_PASSWORD_RESET_PER_IP", int, 10)
SVRP_PASSWORD_RESET_WINDOW: int = _read("SVRP_PASSWORD_RESET_WINDOW", int, 60 * 60)

# --- Internationalisation -----------------------------------------------------------------------

LANGUAGE_CODE: str = _read("LANGUAGE_CODE", str, "en-gb")
TIME_ZONE: str = _read("TIME_ZONE", str, "Europe/London")
USE_I18N = True
USE_TZ = True
LANGUAGES = [("en-gb", "English")]
FORMAT_MODULE_PATH = ["svrp.formats"]

# --- Static and uploaded files ------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(_read("STATIC_ROOT", str, str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(_read("MEDIA_ROOT", str, str(VAR_DIR / "media")))
# Uploads are never served from a public URL: permission-checked views stream them.
MEDIA_URL = "/media-not-served/"
SVRP_UPLOAD_MAX_BYTES: int = _read("SVRP_UPLOAD_MAX_BYTES", int, 20 * 1024 * 1024)
# What an Office file (a ZIP) may expand to once opened; a bigger one is refused as a ZIP bomb.
SVRP_UPLOAD_MAX_UNCOMPRESSED_BYTES: int = _read("SVRP_UPLOAD_MAX_UNCOMPRESSED_BYTES", int, 100 * 1024 * 1024)
# /healthz calls the worker silent when its last heartbeat (sent every minute) is older than this.
SVRP_WORKER_SILENT_AFTER: int = _read("SVRP_WORKER_SILENT_AFTER", int, 180)
# The handling marking of the Home Office report, which holds the true (unsuppressed) figures.
SVRP_REPORT_MARKING: str = _read("SVRP_REPORT_MARKING", str, "OFFICIAL-SENSITIVE")
# Rows an import in the admin may hold (the registers hold a few hundred).
SVRP_ADMIN_IMPORT_MAX_ROWS: int = _read("SVRP_ADMIN_IMPORT_MAX_ROWS", int, 5000)
SVRP_BACKUP_DIR = Path(_read("SVRP_BACKUP_DIR", str, str(VAR_DIR / "backups")))
SVRP_BACKUP_KEEP: int = _read("SVRP_BACKUP_KEEP", int, 14)
if SVRP_BACKUP_KEEP < 1:
    _fail("SVRP_BACKUP_KEEP must be 1 or more.")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

_manifest = _read("SVRP_STATIC_MANIFEST", bool, not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _manifest
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MIMETYPES = {".mjs": "text/javascript"}

# --- E-mail -------------------------------------------------------------------------------------

_email_url = env.str("EMAIL_URL", default="")
if _email_url:
    try:
        vars().update(env.email_url_config(_email_url))
    except Exception as exc:
        _fail(f"EMAIL_URL is not a valid e-mail URL ({exc}).")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL: str = _read("DEFAULT_FROM_EMAIL", str, "SVRP Portal <svrp-portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------------------------

_CELERY_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL: str = _read("CELERY_BROKER_URL", str, "filesystem://")
if not CELERY_BROKER_URL.startswith(("filesystem://", "redis://", "rediss://", "memory://")):
    _fail("CELERY_BROKER_URL must be filesystem://, redis:// or rediss://.")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_CELERY_DIR / "out"),
        "data_folder_out": str(_CELERY_DIR / "out"),
        "processed_folder": str(_CELERY_DIR / "processed"),
        "store_processed": False,
    }
    # The worker crashes at start if the broker's folders are missing (TRAPS.md).
    for _folder in ("out", "processed"):
        (_CELERY_DIR / _folder).mkdir(parents=True, exist_ok=True)
elif CELERY_BROKER_URL.startswith("redis"):
    # A stopped Redis must not hold a request for long: the outbox keeps what could not be sent.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_TIME_LIMIT: int = _read("CELERY_TASK_TIME_LIMIT", int, 15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT: int = _read("CELERY_TASK_SOFT_TIME_LIMIT", int, 14 * 60)
CELERY_TASK_ACKS_LATE = True  # a task killed mid-way is delivered again, not lost
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER: bool = _read("CELERY_TASK_ALWAYS_EAGER", bool, False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
SVRP_OUTBOX_FLUSH_LIMIT: int = _read("SVRP_OUTBOX_FLUSH_LIMIT", int, 500)

# --- Forms --------------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.14.0"  # documents the pairing; crispy-forms-gds 2.0.1 reads nothing

# --- REST API (api/) ----------------------------------------------------------------------------

# Requests per token (per user for the documentation's session calls); "<n>/<second|minute|hour|day>".
SVRP_API_THROTTLE_RATE: str = _read("SVRP_API_THROTTLE_RATE", str, "600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an anonymous caller gets 401 with a Bearer challenge, not 403.
        "api.authentication.ApiTokenAuthentication",
        # The browsable documentation's "Try it out", for a signed-in user (CSRF enforced).
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasPortalRole"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiTokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SVRP Portal API",
    "DESCRIPTION": (
        "Read the partnership's framework, periods, figures, meetings, actions and recommendations, and "
        "submit your organisation's quarterly figures. Authenticate with a token from /api/tokens/: "
        "`Authorization: Bearer <token>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, so the schema stays stable as apps add their own "status" fields.
    "ENUM_NAME_OVERRIDES": {
        "AgeBandEnum": "performance.models.AgeBand",
        "FigureStatusEnum": "performance.models.Figure.Status",
        "MeasureUnitEnum": "performance.models.Measure.Unit",
        "MeasureDirectionEnum": "performance.models.Measure.Direction",
        "RecommendationStatusEnum": "crest.models.Recommendation.Status",
        "RecommendationResponseEnum": "crest.models.Recommendation.Response",
        "ActionStatusEnum": "governance.models.Action.Status",
        "MeetingStatusEnum": "governance.models.Meeting.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
        "api.schema.add_live_choices",
    ],
    # The documentation's assets come from drf-spectacular-sidecar, served by the portal: no CDN.
    # No deep links: Swagger UI puts them inside the operation's toggle button (a link in a button,
    # which axe refuses and keyboards trip over).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "persistAuthorization": False, "tryItOutEnabled": False},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security -----------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: the layout loads one ES module and one stylesheet (TRAPS.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features the portal never uses, refused to every frame (svrp.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), "
    "xr-spatial-tracking=()"
)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT: bool = _read("SECURE_SSL_REDIRECT", bool, not DEBUG)
SESSION_COOKIE_SECURE: bool = _read("SESSION_COOKIE_SECURE", bool, not DEBUG)
CSRF_COOKIE_SECURE: bool = _read("CSRF_COOKIE_SECURE", bool, not DEBUG)
SECURE_HSTS_SECONDS: int = _read("SECURE_HSTS_SECONDS", int, 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = False
# HSTS preload is a one-way commitment for the whole parent domain, which the partnership's host owns,
# not this portal (README, "Production deployment").
# axes.W006 wants the IP address among the lockout parameters. The portal locks by username only:
# failures count across every address and browser, so rotating them gains an attacker nothing, while
# locking by address would lock out a whole partner organisation behind one NAT or proxy (README).
SILENCED_SYSTEM_CHECKS = ["security.W021", "axes.W006"]
if _read("SECURE_PROXY_SSL_HEADER", bool, False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging ------------------------------------------------------------------------------------

# The console shows what the portal does and what needs a person; routine lines (WeasyPrint's
# progress, the file-system broker's "no hostname" warning, the tracebacks of 403 and 404 answers)
# go only to the log file, each at its own level (core.log_filters). SVRP_LOG_FILE="" writes no file.
_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
SVRP_LOG_FILE: str = _read("SVRP_LOG_FILE", str, str(VAR_DIR / "svrp.log"))
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_console": {"()": "core.log_filters.QuietConsole"}},
    "formatters": {
        "plain": {"format": _LOG_FORMAT},
        "console": {"()": "core.log_filters.ConsoleFormatter", "format": _LOG_FORMAT},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "console", "filters": ["quiet_console"]},
    },
    "root": {"handlers": ["console"], "level": _read("LOG_LEVEL", str, "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
if SVRP_LOG_FILE:
    Path(SVRP_LOG_FILE).parent.mkdir(parents=True, exist_ok=True)
    # Watched, not rotating: the web server, the worker and beat append to the same file, and an
    # outside logrotate may move it.
    LOGGING["handlers"]["file"] = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": SVRP_LOG_FILE,
        "formatter": "plain",
        "delay": True,
    }
    LOGGING["root"]["handlers"].append("file")

VAR_DIR.mkdir(exist_ok=True)
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request without it
