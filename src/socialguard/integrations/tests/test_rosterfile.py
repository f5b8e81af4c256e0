"""Reading MIS exports: each MIS's column shape, encodings, and bad rows named by line."""

from __future__ import annotations

import pytest

from socialguard.core.errors import ApplicationError
from socialguard.integrations import rosterfile
from socialguard.integrations.rosterfile import PRESETS, PupilRow, StaffRow

SIMS_PUPILS = (
    "UPN,Legal Surname,Legal Forename,Preferred Surname,Preferred Forename,Year,Reg Group\n"
    "A123,Smith,Alfred,,Alfie,Year 3,3S\n"
    "A124,Okafor,Chioma,Okafor,Chioma,Reception,RB\n"
)


def _pupils(text: str | bytes, source: str = "sims") -> list[rosterfile.Row]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return rosterfile.parse(data, kind="pupils", columns=PRESETS[source]["pupils"])


def test_a_sims_pupil_export_is_read_with_legal_and_preferred_names() -> None:
    rows = _pupils(SIMS_PUPILS)
    assert rows[0] == PupilRow(
        line=2,
        external_id="A123",
        legal_first="Alfred",
        legal_last="Smith",
        preferred_first="Alfie",
        preferred_last="",
        year="3",
        class_name="3S",
    )
    assert rows[1].year == "R"  # type: ignore[union-attr]


@pytest.mark.parametrize("source", ["sims", "arbor", "bromcom"])
@pytest.mark.parametrize("kind", ["pupils", "staff"])
def test_each_mis_shape_is_recognised_by_its_header(source: str, kind: str) -> None:
    headers = list(PRESETS[source][kind].values())
    assert rosterfile.detect_source(headers, kind) == source


def test_a_byte_order_mark_and_windows_1252_are_read() -> None:
    with_bom = b"\xef\xbb\xbf" + SIMS_PUPILS.encode("utf-8")
    assert len(_pupils(with_bom)) == 2
    accented = SIMS_PUPILS.replace("Chioma,Okafor,Chioma", "Zo\u00eb,Okafor,Zo\u00eb")
    rows = _pupils(accented.encode("cp1252"))
    assert rows[1].legal_first == "Zo\u00eb"  # type: ignore[union-attr]
    utf16 = _pupils(SIMS_PUPILS.encode("utf-16"))
    assert len(utf16) == 2


def test_semicolons_and_quoted_commas_are_read() -> None:
    text = SIMS_PUPILS.replace(",", ";").replace("Smith", '"Smith, Jones"')
    assert _pupils(text)[0].legal_last == "Smith, Jones"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("raw", "year"),
    [("R", "R"), ("Reception", "R"), ("YR", "R"), ("Year 1", "1"), ("Y6", "6"), ("04", "4")],
)
def test_year_groups_in_the_ways_an_mis_writes_them(raw: str, year: str) -> None:
    assert rosterfile.year_group(raw) == year


@pytest.mark.parametrize("raw", ["Year 7", "N1", "0", "Y", "", "Year 10"])
def test_years_outside_reception_to_six_are_refused(raw: str) -> None:
    assert rosterfile.year_group(raw) is None


def test_bad_rows_are_all_named_by_line_number() -> None:
    text = (
        SIMS_PUPILS + "A125,,Bea,,,Year 2,2B\nA126,Lee,Sam,,,Year 9,9L\nA123,Smith,Alfred,,,3,3S\n"
    )
    with pytest.raises(ApplicationError) as raised:
        _pupils(text)
    message = raised.value.message
    assert message.startswith("3 lines could not be read")
    assert "Line 4: legal surname is empty." in message
    assert "Line 5: the year group 'Year 9' is not Reception or Years 1 to 6." in message
    assert "Line 6: the same person as on line 2." in message


def test_the_wrong_mis_names_the_missing_columns() -> None:
    with pytest.raises(ApplicationError, match="Line 1: the file has no column 'LegalForename'"):
        _pupils(SIMS_PUPILS, source="bromcom")


@pytest.mark.parametrize("data", [b"", b"   \n", b"UPN,Legal Surname\n"])
def test_empty_files_are_refused_plainly(data: bytes) -> None:
    with pytest.raises(ApplicationError):
        _pupils(data)


def test_staff_rows_need_an_email_address_and_a_real_line_manager_address() -> None:
    header = ",".join(PRESETS["arbor"]["staff"].values())
    text = (
        f"{header}\nS1,Ann,Lee,ann@school.example,Teacher,head@school.example\n"
        "S2,Bob,Ray,not-an-address,TA,\nS3,Cy,Oh,cy@school.example,TA,Mrs Lee\n"
    )
    with pytest.raises(ApplicationError) as raised:
        rosterfile.parse(text.encode(), kind="staff", columns=PRESETS["arbor"]["staff"])
    assert "Line 3: 'not-an-address' is not an e-mail address." in raised.value.message
    assert "Line 4: the line manager 'Mrs Lee' is not an e-mail address." in raised.value.message
    good = rosterfile.parse(
        f"{header}\nS1,Ann,Lee,Ann@School.example,Teacher,\n".encode(),
        kind="staff",
        columns=PRESETS["arbor"]["staff"],
    )
    assert good == [StaffRow(2, "S1", "Ann", "Lee", "ann@school.example", "Teacher", "")]
