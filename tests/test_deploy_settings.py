"""Production is HTTPS-only by default: `check --deploy` finds nothing to warn about, and the
X-Forwarded-Proto header is trusted only when the operator says a TLS proxy sits in front."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

PRODUCTION = "socialguard.config.settings.production"
SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
)


def _environment(**env: str) -> dict[str, str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "SOCIALGUARD_AUDIT_KEY",
            "DATABASE_URL",
            "BEHIND_TLS_PROXY",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "SECURE_COOKIES",
            # The browser tests set this for Playwright's event loop; a deployment never does,
            # and `check --deploy` rightly refuses it (async.E001).
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=secrets.token_urlsafe(50),
        SOCIALGUARD_AUDIT_KEY=secrets.token_urlsafe(50),
        PYTHONPATH="src",
        **env,
    )
    return environment


def _python(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=_environment(**env),
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_defaults(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _python(
        "-m",
        "django",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SOCIALGUARD_VAR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_is_on_by_default_and_the_proxy_header_is_not_trusted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _python("-c", SHOW, SOCIALGUARD_VAR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(None, 5) == ["True", "31536000", "True", "True", "True", "None\n"]


def test_behind_a_tls_proxy_the_forwarded_proto_is_trusted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _python("-c", SHOW, SOCIALGUARD_VAR=str(tmp_path), BEHIND_TLS_PROXY="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("('HTTP_X_FORWARDED_PROTO', 'https')")


def test_the_health_check_is_not_redirected(tmp_path) -> None:  # type: ignore[no-untyped-def]
    probe = (
        "import django; django.setup(); from django.test import Client; "
        "c = Client(); print(c.get('/healthz').status_code, c.get('/policy/').status_code)"
    )
    result = _python("-c", probe, SOCIALGUARD_VAR=str(tmp_path), ALLOWED_HOSTS="testserver")
    assert result.returncode == 0, result.stderr
    health, policy = result.stdout.split()
    assert policy == "301" and health != "301"
