"""Ancrage settings: every value comes from the environment through config.env.

Profiles: ANCRAGE_PROFILE=development (default: DEBUG, SQLite and emails under var/, tasks inline)
or production (no DEBUG, secure cookies, HSTS, durable task queue, SECRET_KEY required).
"""

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.email_url import parse_email_url
from config.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ANCRAGE_VAR_DIR", str(BASE_DIR / "var")))

PROFILE = env_choice("ANCRAGE_PROFILE", "development", ("development", "production"))
PRODUCTION = PROFILE == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        if PRODUCTION and len(key) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("Set SECRET_KEY or SECRET_KEY_FILE in production.")
    # Development only: a random key kept beside the local database, never committed.
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "ancrage.common",
    "ancrage.accounts",
    "ancrage.tenancy",
    "ancrage.catalog",
    "ancrage.catalog.search",
    "ancrage.home",
    "ancrage.demo",
    "ancrage.lrs",
    "ancrage.player",
    "ancrage.licensing",
    "ancrage.api",
    "ancrage.transfer",
    "ancrage.evaluation",
    "ancrage.notify",
    "ancrage.engagement",
    "ancrage.bridges",
    "ancrage.privacy",
    "ancrage.audit",
    "ancrage.microsoft365",
    "ancrage.habits",
    "ancrage.exports",
    "ancrage.exports.lti13",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ancrage.microsoft365.embedding.middleware.FramedSessionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ancrage.tenancy.middleware.MembershipMiddleware",
    "ancrage.common.ratelimit.RateLimitMiddleware",
    "ancrage.audit.middleware.AuditMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ancrage" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ancrage.tenancy.context_processors.membership",
                "ancrage.home.context_processors.navigation",
            ],
        },
    }
]

# Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL says so.
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ancrage.sqlite3'}"
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    _db["CONN_MAX_AGE"] = 0
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperlyConfigured("DATABASE_URL must name an sqlite:// or postgres:// database.")
# SQLite tests use a file, not memory, so live-server threads (browser tests) share it safely.
_default_test_name = (
    str(VAR_DIR / "test-ancrage.sqlite3") if _db["ENGINE"].endswith("sqlite3") else None
)
_db["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or _default_test_name}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Rate-limit counters (ancrage.common.ratelimit) live apart so tests can reset them alone.
CACHES["ratelimit"] = {**CACHES["default"], "KEY_PREFIX": "ratelimit"}
if not REDIS_URL:
    CACHES["ratelimit"]["LOCATION"] = "ratelimit"
RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", default=True)
# Behind N reverse proxies that append to X-Forwarded-For, the client is the N-th from the right.
RATELIMIT_TRUSTED_PROXIES = env_int("RATELIMIT_TRUSTED_PROXIES", 0, minimum=0)

# Background work: Django's Tasks API; durable in the database in production.
_task_backend = env_choice(
    "TASKS_BACKEND", "database" if PRODUCTION else "immediate", ("database", "immediate")
)
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if _task_backend == "database"
            else "django.tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email + password, or a one-time code sent by email; sign-up by invitation.
ACCOUNT_ADAPTER = "ancrage.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
# Six digits: a numeric keypad on phones; 3 attempts per code and request rate limits below.
ACCOUNT_LOGIN_BY_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ancrage] "
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "request_login_code": "20/m/ip,3/m/key",
    "reset_password": "20/m/ip,5/m/key",
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# TeamsJS (npm `@microsoft/teams-js`, pinned in package.json) is served from node_modules as
# /static/teams-js/… to the Teams tab pages: same origin, never a CDN, never copied here.
STATICFILES_DIRS = [
    BASE_DIR / "ancrage" / "static",
    ("teams-js", BASE_DIR / "node_modules" / "@microsoft" / "teams-js" / "dist" / "umd"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
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

# Without EMAIL_URL: SMTP on localhost in production; in development one file per email under
# var/mail/ (`load_demo` says where), so the console keeps only what a person should read.
_email_url = env_str("EMAIL_URL", "smtp://localhost:25" if PRODUCTION else "")
MAILERS = {
    "default": parse_email_url(_email_url, timeout=env_int("EMAIL_TIMEOUT", 10, minimum=1))
    if _email_url or PRODUCTION
    else {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Ancrage <no-reply@ancrage.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict CSP everywhere; framing is refused unless a view says otherwise.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# xAPI LRS (ancrage.lrs): Basic-auth endpoints under /xapi/, no sessions or CSRF involved.
LRS_MAX_BODY_BYTES = env_int("LRS_MAX_BODY_BYTES", 16 * 1024 * 1024, minimum=1024)
LRS_RETRY_AFTER_SECONDS = env_int("LRS_RETRY_AFTER_SECONDS", 5, minimum=1)

# Sessions are read from Redis when there is one (the database stays the source of truth).
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Outbound messages (ancrage.notify): Teams webhooks must be https; plain http to a loopback
# host is allowed only when this is on (local development and tests with a local receiver).
NOTIFY_ALLOW_LOOPBACK_WEBHOOKS = env_bool("NOTIFY_ALLOW_LOOPBACK_WEBHOOKS", default=DEBUG)

# Single sign-on (ancrage.accounts.sso): Entra ID issuers are {authority}/{tenant id}/v2.0
# (tests point the authority at a provider on loopback); identity providers must be https,
# plain http only to a loopback host when SSO_ALLOW_LOOPBACK_HTTP is on (development, tests).
SSO_ENTRA_AUTHORITY = env_str("SSO_ENTRA_AUTHORITY", "https://login.microsoftonline.com")
SSO_ALLOW_LOOPBACK_HTTP = env_bool("SSO_ALLOW_LOOPBACK_HTTP", default=DEBUG)
# LTI 1.3 tool (ancrage.exports.lti13): platform URLs must be https; plain http only to a
# loopback host when this is on (development, tests with a platform on loopback).
LTI_ALLOW_LOOPBACK_HTTP = env_bool("LTI_ALLOW_LOOPBACK_HTTP", default=DEBUG)

# Microsoft 365 (ancrage.microsoft365): Microsoft Graph and Entra token endpoints for the Viva
# Learning sync (tests point them at a local fake server); the app registration's client id
# and secret; and how long the one-time token of the framed-page popup sign-in lives.
VIVA_GRAPH_URL = env_str("VIVA_GRAPH_URL", "https://graph.microsoft.com/v1.0").rstrip("/")
VIVA_TOKEN_URL = env_str(
    "VIVA_TOKEN_URL", "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
)
VIVA_CLIENT_ID = env_str("VIVA_CLIENT_ID", "")
VIVA_CLIENT_SECRET = env_str("VIVA_CLIENT_SECRET", "")  # or VIVA_CLIENT_SECRET_FILE
EMBED_SIGN_IN_SECONDS = env_int("EMBED_SIGN_IN_SECONDS", 120, minimum=10)
# Development only: let http://<embed host>:<any port> frame the embeddable pages too.
EMBED_ALLOW_HTTP_HOSTS = env_bool("EMBED_ALLOW_HTTP_HOSTS", default=False) and not PRODUCTION

# Error reports also hide passwords written in URLs (Granian puts the environment in META).
DEFAULT_EXCEPTION_REPORTER_FILTER = "ancrage.common.reporting.ReporterFilter"

_loggers: dict[str, dict[str, str]] = {
    "django.db.backends": {"level": "INFO"},
    # WeasyPrint (PDF reports) logs every rendering step at INFO, even at import.
    "weasyprint": {"level": "WARNING"},
    "fontTools": {"level": "WARNING"},
}
# In development, tasks run inline and log two INFO lines each (the demo runs hundreds);
# WARNING keeps failures (ERROR). TASKS_LOG_LEVEL=INFO shows them all again.
_tasks_log_level = env_str("TASKS_LOG_LEVEL", "" if PRODUCTION else "WARNING")
if _tasks_log_level:
    _loggers["django.tasks"] = {"level": _tasks_log_level}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": _loggers,
}
