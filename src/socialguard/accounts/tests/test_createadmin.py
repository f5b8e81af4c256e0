"""Issue 12.5: 'createadmin' goes through an accounts service, which validates its input and
records the new deployment administrator on the audit trail in the same transaction."""

from __future__ import annotations

import pytest

from socialguard.accounts.models import User
from socialguard.accounts.services import deployment_admin_create
from socialguard.audit.models import AuditEvent
from socialguard.audit.services import GLOBAL_CHAIN
from socialguard.cli import main
from socialguard.core.errors import ApplicationError, ErrorCode

pytestmark = pytest.mark.django_db

STRONG = "violet-harbour-lantern-42"


def test_service_creates_a_superuser_and_one_global_audit_event() -> None:
    admin = deployment_admin_create(username="deploy", email="ops@example.org", password=STRONG)
    admin.refresh_from_db()
    assert admin.is_superuser and admin.is_staff and admin.organisation_id is None
    assert admin.check_password(STRONG)
    events = list(AuditEvent.objects.filter(action="accounts.deployment_admin.create"))
    assert len(events) == 1
    event = events[0]
    assert event.chain == GLOBAL_CHAIN and event.organisation_id is None
    assert event.target_id == str(admin.pk) and event.actor_repr == "system"
    assert STRONG not in str(event.details)


def test_service_refuses_a_taken_username_and_writes_nothing() -> None:
    deployment_admin_create(username="deploy", email="", password=STRONG)
    before = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as error:
        deployment_admin_create(username="deploy", email="", password=STRONG + "x")
    assert error.value.code == ErrorCode.CONFLICT
    assert "already exists" in error.value.message
    assert User.objects.filter(username="deploy").count() == 1
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "password",
    [
        "short1",  # under ten characters
        "password123",  # common
        "1234567890123",  # entirely numeric
        "deployadmin",  # too like the username
    ],
)
def test_service_refuses_a_weak_password_by_djangos_validators(password: str) -> None:
    with pytest.raises(ApplicationError) as error:
        deployment_admin_create(username="deployadmin", email="", password=password)
    assert error.value.message.startswith("The password is too weak")
    assert error.value.detail
    assert not User.objects.filter(username="deployadmin").exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("username", "email"), [("", ""), ("bad name!", ""), ("deploy", "not-an-address")]
)
def test_service_refuses_a_bad_username_or_email(username: str, email: str) -> None:
    with pytest.raises(ApplicationError):
        deployment_admin_create(username=username, email=email, password=STRONG)
    assert not User.objects.exists()


def test_cli_creates_the_administrator(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIALGUARD_ADMIN_PASSWORD", STRONG)
    assert main(["createadmin", "--username", "deploy", "--email", "ops@example.org"]) == 0
    assert "Created deployment administrator 'deploy'." in capsys.readouterr().out
    assert User.objects.get(username="deploy").is_superuser
    assert AuditEvent.objects.filter(action="accounts.deployment_admin.create").count() == 1


def test_cli_refuses_a_taken_username(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIALGUARD_ADMIN_PASSWORD", STRONG)
    assert main(["createadmin", "--username", "deploy"]) == 0
    capsys.readouterr()
    assert main(["createadmin", "--username", "deploy"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "socialguard: error: A user called 'deploy' already exists."


def test_cli_refuses_a_weak_password(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIALGUARD_ADMIN_PASSWORD", "password123")
    assert main(["createadmin", "--username", "deploy"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("socialguard: error: The password is too weak:")
    assert "too common" in err
    assert not User.objects.filter(username="deploy").exists()
