"""Settings for the test suite: fast hashing, mail in memory, tasks run immediately."""

from __future__ import annotations

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # type: ignore[assignment]
# Off for the suite: hundreds of tests (and the access matrix) sign in as the DSL, the head and
# the administrator and test what those pages do, not the second step in front of them. The
# second step's own tests turn it on with override_settings (accounts/tests/test_mfa.py,
# tests/browser/test_sso_and_mfa.py). Production and the demo keep it on (base.py).
SOCIALGUARD_MFA_REQUIRED = False
# Off for the suite for the same reason: tests sign people in and open their pages; the
# notice's own tests turn it on (monitoring/tests/test_notice.py).
SOCIALGUARD_AUP_REQUIRED = False
