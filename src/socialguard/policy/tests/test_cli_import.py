"""`socialguard policy import` (issue 13): a draft says it is a draft, the header is read and
printed, every warning names its line, and a version already published is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialguard.cli import main
from socialguard.policy.models import PolicyVersion

pytestmark = pytest.mark.django_db

MARKDOWN = """# Social Media Policy

Approved by: Trust Board
Date approved: 12 March 2025
Next review date: March 2027

## 1 Introduction

1.1 Staff must keep personal and professional lives separate.
1.3 Staff should think before they post.
"""


def test_a_draft_import_is_labelled_as_a_draft_with_its_warnings(
    cast, policy_version, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ours.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    assert main(["policy", "import", str(path), "--organisation", "rs", "--not-current"]) == 0
    out = capsys.readouterr().out
    draft = PolicyVersion.objects.get(status="draft")
    assert "Imported 2 clauses as a draft of version 2: not published" in out
    assert f"/policy/drafts/{draft.pk}/" in out
    assert "warning, line 10: clause 1.3 follows 1.1: 1.2 is missing from the numbering" in out
    assert (draft.approved_by, str(draft.approved_on), str(draft.next_review_on)) == (
        "Trust Board",
        "2025-03-12",
        "2027-03-01",
    )
    policy_version.refresh_from_db()
    assert policy_version.is_current


def test_a_current_import_prints_its_header(cast, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ours.md"
    path.write_text(
        MARKDOWN.replace("Approved by", "Version: 3\nApproved by"),
        encoding="utf-8",
    )
    assert main(["policy", "import", str(path), "--organisation", "rs"]) == 0
    out = capsys.readouterr().out
    assert (
        "Imported 2 clauses as version 3, now current (approved 12 March 2025, by Trust Board, "
        "next review March 2027)." in out
    )


def test_importing_a_published_version_again_is_a_clear_error(cast, policy_version, capsys) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    assert (
        main(["policy", "import", str(settings.DEFAULT_POLICY_FILE), "--organisation", "rs"]) == 1
    )
    err = capsys.readouterr().err
    assert "version 1 is already published for Roselands & Stafford Federation" in err
    assert "--not-current" in err and len(err.strip().splitlines()) == 1
    assert PolicyVersion.objects.count() == 1
