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
