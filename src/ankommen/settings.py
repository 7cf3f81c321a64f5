"""Django settings, read from the environment.

Every setting that may differ between machines comes from an environment variable (see the
"Configuration" table in README.md). ``ANKOMMEN_MODE=production`` switches on the strict mode:
secrets must be set, cookies are secure, HTTPS is enforced.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent

env = environ.Env()
if (REPO_DIR / ".env").is_file():
    environ.Env.read_env(REPO_DIR / ".env")

MODE = env.str("ANKOMMEN_MODE", default="development")
if MODE not in {"development", "demo", "production"}:
    raise ImproperlyConfigured(f"ANKOMMEN_MODE must be development, demo or production, not {MODE}")
PRODUCTION = MODE == "production"
DEMO = MODE == "demo"

_INSECURE_DEV_KEY = "insecure-development-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else _INSECURE_DEV_KEY)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production mode.")

# Key for field-level encryption of health data (Fernet keys, comma-separated, newest first:
# the first encrypts, every one decrypts; see docs/health.md "Key handling"). Outside production
# a clearly labelled development key is derived from SECRET_KEY when none is set.
FIELD_ENCRYPTION_KEYS = env.list("ANKOMMEN_FIELD_KEY", default=[])
if PRODUCTION and not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("ANKOMMEN_FIELD_KEY must be set in production mode.")
FIELD_ENCRYPTION_DEVELOPMENT_KEY = not FIELD_ENCRYPTION_KEYS

DEBUG = env.bool("DEBUG", default=MODE == "development")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{REPO_DIR / 'var' / 'ankommen.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "ankommen.core",
    "ankommen.audit",
    "ankommen.privacy",
    "ankommen.people",
    "ankommen.housing",
    "ankommen.health",
    "ankommen.casework",
    "ankommen.seeding",
    "ankommen.planning",
    "ankommen.finance",
    "ankommen.web",
    "ankommen.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ankommen.web.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ankommen.web.middleware.TwoFactorRequiredMiddleware",
    "ankommen.web.middleware.SessionIdleRefreshMiddleware",
    "ankommen.core.middleware.CountyScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ankommen.urls"
WSGI_APPLICATION = "ankommen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ankommen.web.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Lockout after repeated failures (django-axes): per user name and address.
AXES_FAILURE_LIMIT = env.int("ANKOMMEN_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("ANKOMMEN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Session timeout: idle sessions end after this many minutes.
SESSION_COOKIE_AGE = env.int("ANKOMMEN_SESSION_MINUTES", default=30) * 60
# The idle timeout is refreshed by ankommen.web.middleware.SessionIdleRefreshMiddleware (at most
# one session write a minute instead of one per request).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor authentication (TOTP) is required for staff roles, except in the demo.
ANKOMMEN_REQUIRE_2FA = env.bool("ANKOMMEN_REQUIRE_2FA", default=not DEMO and MODE != "development")
OTP_TOTP_ISSUER = "Ankommen"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = REPO_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static", REPO_DIR / "build" / "static"]
# Outside production, serve static files straight from the source folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ankommen.api.authentication.TwoFactorTokenAuthentication",
        "ankommen.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ankommen.api.problems.problem_details_handler",
    "DEFAULT_PAGINATION_CLASS": "ankommen.api.pagination.CheckedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ankommen API",
    "DESCRIPTION": "Versioned REST API of the Ankommen platform. Errors are RFC 9457 problem "
    "details (application/problem+json).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema names every field of personal data: only for signed-in users.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ankommen.api.schema.add_problem_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Security headers. Scripts come only from our own origin (no inline scripts).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    DEBUG = False

# Names longer than this are rejected (a person's written name rarely exceeds 100 characters).
ANKOMMEN_NAME_MAX_LENGTH = 200

# Housing (Unterbringung).
# Target length of the shared-accommodation phase before a move to a flat, in months. A county
# decision, not law: § 53(1) AsylG only says asylum seekers "should as a rule" live in shared
# accommodation, and the Land aims at stays "as short as possible" (MASGF Brandenburg).
ANKOMMEN_SHELTER_TARGET_MONTHS = env.int("ANKOMMEN_SHELTER_TARGET_MONTHS", default=6)
# Weights of needs served by a facility's features in the placement objective (docs/housing.md);
# a placed person counts 1000, so these only decide between equally full plans. County choice.
ANKOMMEN_PLACEMENT_WEIGHTS = env.json(
    "ANKOMMEN_PLACEMENT_WEIGHTS",
    default={
        "psychosocial": 60,
        "women_protection": 50,
        "medical": 40,
        "childcare": 25,
        "social_work": 15,
        "language_course": 10,
    },
)
ANKOMMEN_PLACEMENT_TIME_LIMIT = env.float("ANKOMMEN_PLACEMENT_TIME_LIMIT", default=5.0)
# Look-ahead: keep scarce places (barrier-free, women's protection, large family rooms, care on
# site) for the arrivals expected in the weeks after the window (docs/placement.md). On by
# default: in the simulated year of bench/placement_lookahead.py it beats the myopic plan.
ANKOMMEN_PLACEMENT_LOOK_AHEAD = env.bool("ANKOMMEN_PLACEMENT_LOOK_AHEAD", default=True)
ANKOMMEN_PLACEMENT_LOOK_AHEAD_WEEKS = env.int("ANKOMMEN_PLACEMENT_LOOK_AHEAD_WEEKS", default=4)
# Share of households announced on an allocation list that arrive in the announced week, as
# the look-ahead samples them. UNVERIFIED assumption: no published figure found.
ANKOMMEN_PLACEMENT_ANNOUNCED_SHOW_UP = env.float(
    "ANKOMMEN_PLACEMENT_ANNOUNCED_SHOW_UP", default=0.9
)
# Run placement recommendations in a background thread after the request (False: at once,
# inside the request; tests and single-process command-line use).
ANKOMMEN_PLACEMENT_IN_BACKGROUND = env.bool("ANKOMMEN_PLACEMENT_IN_BACKGROUND", default=True)
# Allocation list imports confirmed in the UI run in a background thread of the web process
# and report progress through the cache (use a shared cache with several processes); False
# runs them inside the request (tests, single-threaded servers).
ANKOMMEN_IMPORT_IN_BACKGROUND = env.bool("ANKOMMEN_IMPORT_IN_BACKGROUND", default=True)

# Privacy (docs/privacy.md): years after the end of contact after which the retention run
# anonymises a person's data, per retention category ({"stammdaten": 3, "unterbringung": 3, …}).
# Categories not named keep the default their data source registers; every default is a
# county decision flagged "ungeprüft" until a legal rule has been confirmed.
ANKOMMEN_RETENTION_YEARS = env.json("ANKOMMEN_RETENTION_YEARS", default={})
# Health (Gesundheit), docs/health.md.
# Re-screening interval after an RHS screening, in days. A county decision: the RHS-15 packet
# (Pathways to Wellness 2013) advises re-screening, but no fixed interval was verified.
ANKOMMEN_RHS_RESCREEN_DAYS = env.int("ANKOMMEN_RHS_RESCREEN_DAYS", default=90)
# Cut-offs other than the published ones ({"RHS-15": [total, thermometer], "RHS-13": [total,
# null]}). UNVERIFIED by the project (e.g. values from Kaltenbach et al. 2017): empty means the
# published cut-offs in ankommen/algorithms/rhs.py.
ANKOMMEN_RHS_CUTOFFS = env.json("ANKOMMEN_RHS_CUTOFFS", default={})
