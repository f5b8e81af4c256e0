"""Settings shared by every environment. Environment-specific files import from here."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/socialguard
BASE_DIR = Path(os.environ.get("SOCIALGUARD_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("SOCIALGUARD_VAR", BASE_DIR / "var")).resolve()

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# The audit chain's HMAC key: never stored in the database (socialguard.audit.keys).
SOCIALGUARD_AUDIT_KEY = os.environ.get("SOCIALGUARD_AUDIT_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "socialguard.core",
    "socialguard.accounts",
    "socialguard.audit",
    "socialguard.policy",
    "socialguard.notifications",
    "socialguard.approvals",
    "socialguard.sites",
    "socialguard.community",
    "socialguard.lexicon",
    "socialguard.moderation",
    "socialguard.safeguarding",
    "socialguard.cases",
    "socialguard.reports",
    "socialguard.api",
    "socialguard.integrations",
    "socialguard.postcheck",
    "socialguard.monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # "Check my post" keeps a photo in memory only: set before any middleware reads a form.
    "socialguard.postcheck.middleware.InMemoryUploadsMiddleware",
    "socialguard.core.middleware.ContentSecurityPolicyMiddleware",
    "socialguard.core.cache_control.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "socialguard.core.middleware.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "socialguard.accounts.middleware.SessionTimeoutMiddleware",
    # A second step before a concern, a case or the admin (accounts.mfa).
    "socialguard.accounts.middleware.MfaRequiredMiddleware",
    # 8.2: staff and pupils accept the acceptable-use notice before anything else (monitoring).
    "socialguard.monitoring.middleware.AcceptableUseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the others that handle sign-in, as django-axes asks: it turns a locked-out
    # sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
    # A dropped database connection becomes a plain 503 "not saved, try again" page.
    "socialguard.core.unavailable.DatabaseUnavailableMiddleware",
]
# Load tests (benchmarks/moderation.py) read how long Django itself took from a header.
if os.environ.get("SOCIALGUARD_SERVER_TIMING") == "1":
    MIDDLEWARE.insert(0, "socialguard.core.middleware.ServerTimingMiddleware")

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "socialguard.config.urls"
WSGI_APPLICATION = "socialguard.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "socialguard.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'socialguard.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes; IMMEDIATE
    # transactions avoid "database is locked" upgrades under concurrent writers.
    # Writers wait their turn on a file lock rather than polling (socialguard.core.sqlite).
    DATABASES["default"]["ENGINE"] = "socialguard.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

SESSION_COOKIE_HTTPONLY = True
# No session outlives a working day; idle sessions end sooner (socialguard.accounts.middleware).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 3600)))
SOCIALGUARD_SESSION_IDLE_MINUTES = int(os.environ.get("SOCIALGUARD_SESSION_IDLE_MINUTES", "120"))
SOCIALGUARD_SESSION_IDLE_MINUTES_SENSITIVE = int(
    os.environ.get("SOCIALGUARD_SESSION_IDLE_MINUTES_SENSITIVE", "30")
)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# A proxy in front terminates TLS and appends the visitor's address to X-Forwarded-For; only
# then are those headers trusted (production.py, socialguard.core.throttle.client_ip).
SOCIALGUARD_BEHIND_TLS_PROXY = os.environ.get("BEHIND_TLS_PROXY", "") == "1"

# Sign-in lockout (django-axes, socialguard.accounts.lockout): an account locks after 5 failures
# and an address after 50, for 15 minutes; the right password does not sign in meanwhile.
AXES_HANDLER = "socialguard.accounts.lockout.AccountAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("SOCIALGUARD_LOGIN_ACCOUNT_FAILURE_LIMIT", "5"))
SOCIALGUARD_LOGIN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("SOCIALGUARD_LOGIN_ADDRESS_FAILURE_LIMIT", "50")
)
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("SOCIALGUARD_LOGIN_LOCKOUT_MINUTES", "15"))
)
# Two-step sign-in (accounts.mfa): safeguarding leads, head teachers and administrators pass a
# second step before a concern, a case or the admin. On unless SOCIALGUARD_MFA_REQUIRED=0.
SOCIALGUARD_MFA_REQUIRED = os.environ.get("SOCIALGUARD_MFA_REQUIRED", "1") == "1"
# 8.2: staff members and pupils accept the acceptable-use notice (no expectation of privacy on
# the school's ICT) after signing in, and again for each new version. On unless set to 0.
SOCIALGUARD_AUP_REQUIRED = os.environ.get("SOCIALGUARD_AUP_REQUIRED", "1") == "1"
# Single sign-on (accounts.sso): how long to wait for the school's identity provider.
SOCIALGUARD_SSO_TIMEOUT_SECONDS = int(os.environ.get("SOCIALGUARD_SSO_TIMEOUT_SECONDS", "10"))
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "socialguard.core.throttle.client_ip"
AXES_USERNAME_CALLABLE = "socialguard.core.http.lockout_username"  # 255 characters at most
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password", "new_password1", "new_password2"]

# Rate limits on what anyone may send without signing in (socialguard.core.throttle): counts
# live in a table in the database, shared by every web process (created by core's migration).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "socialguard_ratelimit",
    },
}
SOCIALGUARD_RATELIMIT_CACHE = "ratelimit"
# Per address, per hour: public breach reports, and password-reset requests.
SOCIALGUARD_PUBLIC_REPORTS_PER_HOUR = int(
    os.environ.get("SOCIALGUARD_PUBLIC_REPORTS_PER_HOUR", "5")
)
SOCIALGUARD_PASSWORD_RESETS_PER_HOUR = int(
    os.environ.get("SOCIALGUARD_PASSWORD_RESETS_PER_HOUR", "5")
)
PASSWORD_RESET_TIMEOUT = 3600

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# E-mail: production sets EMAIL_HOST & co.; the demo keeps every message in the database
# so that the outbox can be read in the browser (see socialguard.notifications).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "socialguard.notifications.backends.DatabaseOutboxBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
# TLS from the first byte (port 465) instead of STARTTLS; a client certificate where the relay
# asks for one; the relay's own CA bundle where its certificate is not from a public CA.
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
EMAIL_SSL_CERTFILE = os.environ.get("EMAIL_SSL_CERTFILE") or None
EMAIL_SSL_KEYFILE = os.environ.get("EMAIL_SSL_KEYFILE") or None
EMAIL_SSL_CA_FILE = os.environ.get("EMAIL_SSL_CA_FILE", "")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# Tries before a message the mail server keeps refusing is given up (notifications.tasks).
SOCIALGUARD_EMAIL_ATTEMPTS = int(os.environ.get("SOCIALGUARD_EMAIL_ATTEMPTS", "12"))
# The organisation's webhook to its own safeguarding system (integrations.webhooks): seconds to
# wait for it, tries before a notice is given up, and whether plain http:// may be registered.
SOCIALGUARD_WEBHOOK_TIMEOUT = int(os.environ.get("SOCIALGUARD_WEBHOOK_TIMEOUT", "10"))
SOCIALGUARD_WEBHOOK_ATTEMPTS = int(os.environ.get("SOCIALGUARD_WEBHOOK_ATTEMPTS", "10"))
SOCIALGUARD_WEBHOOK_ALLOW_HTTP = os.environ.get("SOCIALGUARD_WEBHOOK_ALLOW_HTTP", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "socialguard <no-reply@socialguard.invalid>"
)
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The policy document shipped as the default template for a new organisation.
DEFAULT_POLICY_FILE = PACKAGE_DIR / "policy" / "data" / "roselands-stafford-social-media-policy.txt"


# The school day, for review targets counted in school hours (Monday to Friday, local time).
def _school_day(value: str) -> tuple[str, str]:
    from datetime import time

    from django.core.exceptions import ImproperlyConfigured

    try:
        start, end = (part.strip() for part in value.split("-", 1))
        if time.fromisoformat(start) >= time.fromisoformat(end):
            raise ValueError
    except ValueError:
        raise ImproperlyConfigured(
            f"SOCIALGUARD_SCHOOL_DAY must look like 08:00-17:00 (start before end), not {value!r}"
        ) from None
    return start, end


SOCIALGUARD_SCHOOL_DAY = _school_day(os.environ.get("SOCIALGUARD_SCHOOL_DAY", "08:00-17:00"))
