"""Production: every secret comes from the environment; refuse to start without them."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 32 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 32 characters in production."
    )
# The audit chain is keyed apart from SECRET_KEY, so rotating SECRET_KEY never breaks the trail.
SOCIALGUARD_AUDIT_KEY = os.environ.get("SOCIALGUARD_AUDIT_KEY", "")
if len(SOCIALGUARD_AUDIT_KEY) < 32 or SOCIALGUARD_AUDIT_KEY == SECRET_KEY:
    raise ImproperlyConfigured(
        "SOCIALGUARD_AUDIT_KEY must be set to a random value of at least 32 characters, "
        "different from SECRET_KEY, in production (it keys the audit trail's hash chain)."
    )
DEBUG = False
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
SESSION_COOKIE_SECURE = os.environ.get("SECURE_COOKIES", "1") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
