"""Production refuses to start without a real SECRET_KEY; the embedded default needs nothing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CHECK = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def _run(settings_module: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SOCIALGUARD_AUDIT_KEY")
    }
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    command = [sys.executable, "-c", CHECK]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60)  # noqa: S603


@pytest.mark.parametrize("key", ["", "short", "django-insecure-" + "x" * 40])
def test_production_refuses_a_missing_or_weak_secret_key(key: str) -> None:
    result = _run("socialguard.config.settings.production", SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_key() -> None:
    result = _run(
        "socialguard.config.settings.production",
        SECRET_KEY="k" * 50,
        SOCIALGUARD_AUDIT_KEY="a" * 40,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("audit_key", ["", "short", "k" * 50])
def test_production_refuses_a_missing_weak_or_reused_audit_key(audit_key: str) -> None:
    result = _run(
        "socialguard.config.settings.production",
        SECRET_KEY="k" * 50,
        SOCIALGUARD_AUDIT_KEY=audit_key,
    )
    assert result.returncode != 0
    assert "SOCIALGUARD_AUDIT_KEY must be set" in result.stderr


def test_embedded_default_makes_its_own_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _run("socialguard.config.settings.dev", SOCIALGUARD_VAR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").read_text().strip()


@pytest.mark.parametrize("value", ["9", "17:00-08:00", "morning-evening"])
def test_a_bad_school_day_is_named(tmp_path, value: str) -> None:  # type: ignore[no-untyped-def]
    result = _run(
        "socialguard.config.settings.dev",
        SOCIALGUARD_VAR=str(tmp_path),
        SOCIALGUARD_SCHOOL_DAY=value,
    )
    assert result.returncode != 0
    assert "SOCIALGUARD_SCHOOL_DAY must look like 08:00-17:00" in result.stderr
