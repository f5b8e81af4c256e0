"""``socialguard roster import``: the dry run changes nothing; applying shows a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from socialguard.accounts.models import User
from socialguard.cli import main

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "UPN,Legal Surname,Legal Forename,Preferred Surname,Preferred Forename,Year,Reg Group\n"
    "A1,Smith,Alfred,,Alfie,Year 3,3S\n"
)


def test_dry_run_then_import(cast: Any, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "pupils.csv"
    path.write_text(CSV, encoding="utf-8-sig")
    args = ["roster", "import", str(path), "--kind", "pupils", "--organisation", "rs"]
    # A dry run lists the joiner and the cast's pupil as a leaver, and changes nothing
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "join   line 2: Alfred Smith (Year 3, class 3S, known as Alfie)" in out
    assert f"leave  {cast.pupil.get_full_name()} (Year 4)" in out
    assert "Dry run: nothing was changed." in out
    assert not User.objects.filter(first_name="Alfred").exists()
    # Applying it changes the roster and draws the bar's last line
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "Applied: 1 joined, 0 changed, 1 left, 0 unchanged." in captured.out
    assert "Applying [##############################] 2/2" in captured.err
    assert User.objects.filter(first_name="Alfred").exists()


def test_a_bad_file_is_one_plain_error_line(cast: Any, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "pupils.csv"
    path.write_text(CSV.replace("Year 3", "Year 8"), encoding="utf-8")
    code = main(["roster", "import", str(path), "--kind", "pupils", "--organisation", "rs"])
    assert code != 0
    error = capsys.readouterr().err
    assert "Line 2: the year group 'Year 8' is not Reception or Years 1 to 6." in error
