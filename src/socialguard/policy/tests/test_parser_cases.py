"""The policy parser on the shipped document and on the ways real documents go wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialguard.policy.parser import (
    Obligation,
    PolicyParseError,
    classify_obligation,
    parse_month_year,
    parse_policy_file,
    parse_policy_text,
)

SHIPPED = (
    Path(__file__).resolve().parents[1] / "data" / "roselands-stafford-social-media-policy.txt"
)


@pytest.fixture(scope="module")
def shipped():  # type: ignore[no-untyped-def]
    return parse_policy_file(path=SHIPPED)


def test_every_numbered_clause_is_recovered_in_order(shipped) -> None:  # type: ignore[no-untyped-def]
    numbers = [c.number for c in shipped.clauses]
    assert len(numbers) == 81
    assert numbers[0] == "1.1" and numbers[-1] == "A.5.9"
    assert "3.3" not in numbers and "9.3" not in numbers  # gaps in the document stay gaps
    assert numbers.index("A.4.10") == numbers.index("A.4.9") + 1


def test_header_fields(shipped) -> None:  # type: ignore[no-untyped-def]
    assert shipped.title == "Social Media Policy"
    assert shipped.organisation == "Roselands & Stafford Federation"
    assert (shipped.version, shipped.approved_by) == ("1", "FGB")
    assert (shipped.approved_on, shipped.next_review) == ("April 2017", "April 2019")


def test_unnumbered_paragraphs_and_bullets_belong_to_the_clause_before(shipped) -> None:  # type: ignore[no-untyped-def]
    by_number = {c.number: c for c in shipped.clauses}
    assert "Staff members should also be aware" in by_number["3.2"].text
    assert "- Malicious Communications Act 1998" in by_number["3.2"].text
    assert "the Human Rights Act 1998" in by_number["3.1"].text
    assert "The Data Protection Act 1998." in by_number["3.1"].text


def test_no_markup_debris_in_clause_text(shipped) -> None:  # type: ignore[no-untyped-def]
    for clause in shipped.clauses:
        assert "**" not in clause.text and not clause.text.startswith("*"), clause.number
    by_number = {c.number: c for c in shipped.clauses}
    assert "such as Facebook to keeping" in by_number["1.1"].text


def test_sections_and_their_titles(shipped) -> None:  # type: ignore[no-untyped-def]
    by_number = {c.number: c for c in shipped.clauses}
    assert (by_number["A.5.6"].section_number, by_number["A.5.6"].section_title) == (
        "A.5",
        "Contributors and moderation of content",
    )
    assert by_number["5.3"].section_title == (
        "Principles – be professional, responsible and respectful"
    )
    assert [s.number for s in shipped.sections][:3] == ["1", "2", "3"]
    assert "Social Media Site Creation Approval Form" in shipped.appendix_text["B"]
    assert "<input" not in shipped.appendix_text["B"]


@pytest.mark.parametrize(
    ("number", "obligation"),
    [
        ("1.1", Obligation.ADVICE),  # describes social media
        ("8.1", Obligation.ADVICE),  # states what the federation does
        ("1.4", Obligation.MUST),
        ("A.5.4", Obligation.MUST),
        ("6.5", Obligation.MUST),  # "can only do so with the approval of the school"
        ("5.3", Obligation.MUST_NOT),
        ("A.5.6", Obligation.MUST_NOT),  # "must never be tolerated"
        ("6.13", Obligation.MUST_NOT),  # "is not allowed"
        ("6.14", Obligation.SHOULD),  # "Caution is advised"
        ("6.15", Obligation.SHOULD),  # "strongly advised"
        ("A.4.10", Obligation.SHOULD),  # "should not be expressed": the policy's own softer word
    ],
)
def test_obligations(shipped, number: str, obligation: Obligation) -> None:  # type: ignore[no-untyped-def]
    assert {c.number: c for c in shipped.clauses}[number].obligation == obligation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Staff must not post.", Obligation.MUST_NOT),
        ("Staff must post. They must not swear.", Obligation.MUST_NOT),
        ("Staff must post.", Obligation.MUST),
        ("Staff should post.", Obligation.SHOULD),
        ("The school monitors use.", Obligation.ADVICE),
        ("It is not allowed.", Obligation.MUST_NOT),
    ],
)
def test_obligation_precedence(text: str, expected: Obligation) -> None:
    assert classify_obligation(text) == expected


MARKDOWN = """# Social Media Policy

| Version | Date Approved | Approved By | Next review Date |
|---|---|---|---|
| 3 | 12 March 2025 | Trust Board | March 2027 |

## 1 Introduction

1.1 Staff **must** keep personal and professional lives separate.

More about 1.1.

## 2 Scope

- 2.1 This policy applies to *all* staff.
"""


def test_markdown_policy() -> None:
    parsed = parse_policy_text(text=MARKDOWN)
    assert [c.number for c in parsed.clauses] == ["1.1", "2.1"]
    assert parsed.clauses[0].text.endswith("More about 1.1.")
    assert parsed.clauses[1].text == "This policy applies to all staff."
    assert (parsed.version, parsed.approved_by, parsed.next_review) == (
        "3",
        "Trust Board",
        "March 2027",
    )
    assert parsed.clauses[0].obligation == Obligation.MUST


def test_docx_policy(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Social Media Policy")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(
        table.rows[0].cells, ["Version", "Date Approved", "Approved By"], strict=True
    ):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["2", "September 2024", "FGB"], strict=True):
        cell.text = text
    document.add_paragraph("1 INTRODUCTION")
    document.add_paragraph("1.1 Staff must follow this policy.")
    document.add_paragraph("A second paragraph of 1.1.")
    path = tmp_path / "ours.docx"
    document.save(str(path))
    parsed = parse_policy_file(path=path)
    assert [c.number for c in parsed.clauses] == ["1.1"]
    assert "A second paragraph" in parsed.clauses[0].text
    assert (parsed.version, parsed.approved_on) == ("2", "September 2024")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "empty"),
        ("Policy\n\nJust prose, no numbers.\n", 1, "no numbered clauses"),
        ("P\n1 INTRODUCTION\n1.1 One.\n1.1 Again.\n", 4, "1.1 appears twice"),
        ("P\n1 INTRODUCTION\n1.2 Two.\n1.1 One.\n", 4, "1.1 comes after 1.2"),
        ("P\n1 INTRODUCTION\n1.1 One.\n2.1 Lost heading.\n", 4, "under section 1"),
        ("P\n1.1 Before any heading.\n", 2, "before any section"),
    ],
)
def test_errors_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(PolicyParseError) as error:
        parse_policy_text(text=text)
    assert error.value.line == line
    assert words in str(error.value) and str(error.value).startswith(f"line {line}:")


def test_unreadable_docx_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(PolicyParseError, match=r"not a readable \.docx"):
        parse_policy_file(path=path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("April 2019", (2019, 4, 1)),
        ("30/04/2019", (2019, 4, 30)),
        ("2019-04-30", (2019, 4, 30)),
        ("30 April 2019", (2019, 4, 30)),
        ("soon", None),
        ("", None),
    ],
)
def test_parse_month_year(value: str, expected) -> None:  # type: ignore[no-untyped-def]
    parsed = parse_month_year(value)
    assert (parsed.timetuple()[:3] if parsed else None) == expected


# --- headers and warnings (issue 13) -------------------------------------------------------


def test_the_shipped_policy_warns_of_its_two_numbering_gaps(shipped) -> None:  # type: ignore[no-untyped-def]
    assert [(w.line, w.message) for w in shipped.warnings] == [
        (66, "clause 3.4 follows 3.2: 3.3 is missing from the numbering"),
        (124, "clause 9.4 follows 9.2: 9.3 is missing from the numbering"),
    ]


MARKDOWN_LINES = """# Our Social Media Policy

Version: 4
**Approved by:** Trust Board
Date approved - 12 March 2025
Next review date: Spring 2027

## 1 Introduction

An introduction with no number.

1.1 Staff must keep personal and professional lives separate.
1.3 Staff should think before posting.

## 2 Scope

## 3 Monitoring

3.1 The school monitors use.
"""


def test_markdown_header_lines_are_read_and_every_guess_is_a_warning() -> None:
    parsed = parse_policy_text(text=MARKDOWN_LINES)
    assert (parsed.title, parsed.version, parsed.approved_by) == (
        "Our Social Media Policy",
        "4",
        "Trust Board",
    )
    assert (parsed.approved_on, parsed.next_review) == ("12 March 2025", "Spring 2027")
    assert parse_month_year(parsed.approved_on) is not None
    warnings = [(w.line, w.message) for w in parsed.warnings]
    assert (
        6,
        "the next review date 'Spring 2027' is not a date socialguard can read "
        "(write it like 'April 2019' or '30/04/2019'); enter it before publishing",
    ) in warnings
    assert any(
        line == 10 and "left out: 'An introduction with no number.'" in m for line, m in warnings
    )
    assert (13, "clause 1.3 follows 1.1: 1.2 is missing from the numbering") in warnings
    assert any(
        line == 15 and "section 2 (Scope) has no numbered clauses" in m for line, m in warnings
    )
    assert [line for line, _ in warnings] == sorted(line for line, _ in warnings)


def test_a_header_without_approval_lines_says_what_is_missing() -> None:
    parsed = parse_policy_text(text="Policy\n\n1 INTRODUCTION\n1.1 Staff must post.\n")
    messages = [w.message for w in parsed.warnings]
    assert "the header gives no approved by; enter it before publishing" in messages
    assert "the header gives no next review date; enter it before publishing" in messages
    assert parsed.version == ""


def test_plain_text_in_windows_encoding_is_read() -> None:
    from socialguard.policy.parser import read_policy_bytes

    data = "Policy\n\n1 INTRODUCTION\n1.1 Staff mustn\u2019t post \u2013 ever.\n".encode("cp1252")
    text = read_policy_bytes(name="policy.txt", data=data)
    assert "mustn\u2019t post \u2013 ever" in text


def _docx_bytes(rows: list[list[str]], paragraphs: list[str]) -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Social Media Policy")
    document.add_paragraph("Downs Valley Trust")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_header_table_like_the_shipped_policy() -> None:
    from socialguard.policy.parser import read_policy_bytes

    data = _docx_bytes(
        [
            ["Index Ref", "Version", "Date Approved", "Approved By", "Next review Date"],
            ["", "2", "September 2024", "FGB", "September 2026"],
        ],
        ["1 INTRODUCTION", "1.1 Staff must follow this policy.", "1.2 Staff should ask."],
    )
    parsed = parse_policy_text(text=read_policy_bytes(name="ours.docx", data=data))
    assert (parsed.version, parsed.approved_on, parsed.approved_by, parsed.next_review) == (
        "2",
        "September 2024",
        "FGB",
        "September 2026",
    )
    assert parsed.organisation == "Downs Valley Trust"
    assert parsed.warnings == []


def test_docx_two_column_header_rows() -> None:
    from socialguard.policy.parser import read_policy_bytes

    data = _docx_bytes(
        [["Version", "3"], ["Approved by", "Trust Board"], ["Next review date", "July 2027"]],
        ["1 INTRODUCTION", "1.1 Staff must follow this policy."],
    )
    parsed = parse_policy_text(text=read_policy_bytes(name="ours.docx", data=data))
    assert (parsed.version, parsed.approved_by, parsed.next_review) == (
        "3",
        "Trust Board",
        "July 2027",
    )
    assert [w.message for w in parsed.warnings] == [
        "the header gives no date approved; enter it before publishing"
    ]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("policy.pdf", b"%PDF-1.4", "PDF files cannot be read reliably"),
        ("policy.doc", b"\xd0\xcf\x11\xe0", "save it as .docx"),
        ("policy.exe", b"MZ", "use .docx, .md or .txt"),
        ("policy.txt", b"1 INTRO\x00\x00", "not a text file"),
        ("policy.docx", b"PK\x03\x04 not really", "not a readable .docx"),
    ],
)
def test_unreadable_uploads_are_explained(name: str, data: bytes, words: str) -> None:
    from socialguard.policy.parser import read_policy_bytes

    with pytest.raises(PolicyParseError, match=words):
        read_policy_bytes(name=name, data=data)
