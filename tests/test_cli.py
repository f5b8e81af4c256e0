"""The socialguard command: help, one-line errors, policy import, audit verify and export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection

from socialguard.cli import main

pytestmark = pytest.mark.django_db


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for command in (
        "serve",
        "worker",
        "demo",
        "policy",
        "audit",
        "createadmin",
        "roster",
        "screen",
    ):
        assert command in out


@pytest.mark.parametrize(
    "argv",
    [["frobnicate"], ["audit"], ["audit", "export", "--from", "yesterday"], ["policy", "import"]],
)
def test_bad_arguments_give_one_line_and_non_zero(argv, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("socialguard")


def test_policy_import_and_audit_round_trip(cast, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    assert (
        main(["policy", "import", str(settings.DEFAULT_POLICY_FILE), "--organisation", "rs"]) == 0
    )
    assert "Imported 81 clauses" in capsys.readouterr().out
    assert main(["audit", "verify"]) == 0
    assert "OK:" in capsys.readouterr().out
    out = tmp_path / "events.json"
    assert main(["audit", "export", "--format", "json", "--output", str(out)]) == 0
    assert any(e["action"] == "policy.version.import" for e in json.loads(out.read_text()))


def test_policy_import_errors_name_the_line(cast, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "ours.md"
    bad.write_text("# Policy\n\n## 1 Intro\n\n1.1 One.\n\n1.1 Two.\n", encoding="utf-8")
    assert main(["policy", "import", str(bad), "--organisation", "rs"]) == 1
    err = capsys.readouterr().err
    assert "line 7" in err and len(err.strip().splitlines()) == 1


def test_unknown_organisation_is_a_clear_error(cast, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["audit", "verify", "--organisation", "nowhere"]) == 1
    assert "no organisation 'nowhere'" in capsys.readouterr().err


def test_audit_verify_fails_on_tampering(cast, policy_version, capsys) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        cursor.execute("UPDATE audit_auditevent SET actor_repr = 'someone else'")
    assert main(["audit", "verify"]) == 1
    assert "TAMPERED" in capsys.readouterr().err


def test_roster_export_writes_the_screening_roster(cast, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "roster.json"
    assert main(["roster", "export", "--organisation", "rs", "-o", str(out)]) == 0
    roster = json.loads(out.read_text())
    assert set(roster) >= {"organisation", "schools", "pupils", "staff", "email_domains"}


def test_retention_lists_then_deletes_and_keeps_the_fact(
    cast, policy_version, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    from socialguard.audit.models import AuditEvent
    from socialguard.cases import services as case_services
    from socialguard.cases.models import BreachCase
    from socialguard.cases.tests.factories import decided
    from socialguard.safeguarding.models import Concern
    from socialguard.safeguarding.services import concern_close
    from socialguard.safeguarding.tests.conftest import ACCOUNT, record

    old, recent = record(cast), record(cast)
    for concern in (old, recent):
        concern_close(concern=concern, by=cast.dsl, outcome="Advice given; no further action.")
    Concern.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=366 * 26))
    case = decided(cast)
    case_services.case_close(case=case, by=cast.head)
    BreachCase.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=366 * 7))
    capsys.readouterr()

    assert main(["retention"]) == 0
    out = capsys.readouterr().out
    assert f"Would delete: safeguarding concern {old.reference}" in out
    assert f"Would delete: breach case {case.reference}" in out
    assert recent.reference not in out and "Dry run: nothing was deleted" in out
    assert Concern.objects.filter(pk=old.pk).exists()

    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert main(["retention", "--delete"]) == 1
    assert Concern.objects.filter(pk=old.pk).exists()

    monkeypatch.setattr("builtins.input", lambda prompt: "delete")
    assert main(["retention", "--delete"]) == 0
    assert not Concern.objects.filter(pk=old.pk).exists()
    assert not BreachCase.objects.filter(pk=case.pk).exists()
    assert Concern.objects.filter(pk=recent.pk).exists()
    kept = AuditEvent.objects.get(action="safeguarding.concern.deleted_for_retention")
    assert old.reference in str(kept.details) + kept.target_repr
    assert ACCOUNT not in str(kept.details) and cast.pupil.last_name not in str(kept.details)
    assert AuditEvent.objects.filter(action="cases.case.retention_delete").exists()

    assert main(["retention"]) == 0
    assert "nothing to do" in capsys.readouterr().out
