"""Checking one draft: each finding explained with its section 6 clause and what to change, the
obvious rewrite made, and the image checks saying what they saw and what they cannot see."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialguard.community.tests.factories import jpeg
from socialguard.community.tests.test_images import exif_with_gps
from socialguard.core.errors import ApplicationError
from socialguard.postcheck.checks import draft_check
from socialguard.screening.base import Person, Roster

PORTRAIT = Path(__file__).parents[2] / "community" / "tests" / "data" / "portrait.jpg"
ROSTER = Roster(
    organisation="Roselands & Stafford Federation",
    schools=("Roselands Infant School", "Stafford Junior School"),
    email_domains=("roselands-stafford.e-sussex.sch.uk",),
    pupils=(Person("Oliver", "Bennett", year="4"), Person("Amelia", "Clarke", year="4")),
    staff=(Person("Tom", "Hughes"),),
)


def _check(text: str, image: bytes | None = None):  # type: ignore[no-untyped-def]
    return draft_check(text=text, image=image, roster=ROSTER)


def test_a_school_and_a_pupil_named_are_two_findings_with_clauses_and_a_rewrite() -> None:
    # Given a post naming the school and a pupil
    result = _check("Great sports day at Stafford Junior School, well done Oliver Bennett!")
    # Then each is explained with the clause that forbids it and what to do instead
    by_words = {p.words: p for p in result.points}
    assert set(by_words) == {"Stafford Junior School", "Oliver Bennett"}
    assert by_words["Stafford Junior School"].clauses == ("6.1",)
    assert "Remove the school's name" in by_words["Stafford Junior School"].change
    assert by_words["Oliver Bennett"].clauses == ("6.8",)
    assert "Don't name a pupil" in by_words["Oliver Bennett"].change
    # And the obvious rewrite takes both out
    assert result.rewrite == "Great sports day at work, well done someone!"
    assert not result.clear and result.clauses == ("6.1", "6.8")


def test_a_school_e_mail_address_becomes_your_personal_one() -> None:
    result = _check("Questions? Write to t.hughes@roselands-stafford.e-sussex.sch.uk")
    labels = {p.label: p for p in result.points}
    school = labels["A school e-mail address on a personal account"]
    assert school.clauses == ("6.10",) and "Use your personal e-mail" in school.change
    assert result.rewrite == "Questions? Write to your personal e-mail address"


@pytest.mark.parametrize(
    ("text", "rewrite"),
    [
        ("Oliver's painting won!", "Someone's painting won!"),
        ("Ring me on 07700 900123 about the fete.", ""),  # taking it out leaves no sentence
        ("Proud of my class today", ""),  # 6.1, but no obvious words to put instead
    ],
)
def test_rewrites_keep_a_possessive_a_capital_and_only_make_obvious_changes(
    text: str, rewrite: str
) -> None:
    result = _check(text)
    assert result.points and result.rewrite == rewrite


def test_contact_details_on_ones_own_account_cite_6_15_not_the_official_site_rule() -> None:
    result = _check("Ring me on 07700 900123")
    assert [p.clauses for p in result.points] == [("6.15",)]


def test_a_harmless_post_is_clear() -> None:
    result = _check("Lovely walk on the downs this morning, then tea and cake.")
    assert result.clear and not result.points and result.rewrite == ""


def test_a_photo_with_a_face_is_flagged_and_what_cannot_be_checked_is_said() -> None:
    result = _check("", PORTRAIT.read_bytes())
    found = [n for n in result.image_notes if n.found]
    assert len(found) == 1 and found[0].clauses == ("6.9",)
    assert "One face was found" in found[0].seen and "pupils" in found[0].seen
    cannot = [n for n in result.image_notes if not n.found]
    assert any("cannot yet see school uniform, logos" in n.seen for n in cannot)
    assert not result.clear and result.image_checked


def test_a_photo_without_faces_and_with_a_location_says_so() -> None:
    result = _check("", jpeg(exif=exif_with_gps()))
    seen = " ".join(n.seen for n in result.image_notes)
    assert "No faces were found" in seen
    gps = [n for n in result.image_notes if n.found]
    assert len(gps) == 1 and gps[0].clauses == ("6.15",) and "GPS location" in gps[0].seen


def test_a_file_that_is_not_an_image_is_refused_plainly() -> None:
    with pytest.raises(ApplicationError, match="not an image"):
        _check("hello", b"%PDF-1.4 not a photo")
