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
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "socialguard.notifications.smtp.EmailBackend")

# HTTPS only, by default: `manage.py check --deploy` is clean with nothing set. Each switch is
# documented in the README's configuration section.
SESSION_COOKIE_SECURE = os.environ.get("SECURE_COOKIES", "1") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
# A load balancer checks /healthz over plain HTTP, inside the network; it must not be redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "1") == "1"
# Behind a proxy that terminates TLS (nginx, a load balancer), Django sees plain HTTP; the proxy
# says the visitor used HTTPS in X-Forwarded-Proto. Trusting that header is only safe when the
# proxy always sets it (overwriting what the visitor sent) and nobody can reach Django directly,
# so it is off unless BEHIND_TLS_PROXY=1.
if SOCIALGUARD_BEHIND_TLS_PROXY:  # noqa: F405 (from base: BEHIND_TLS_PROXY=1)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
