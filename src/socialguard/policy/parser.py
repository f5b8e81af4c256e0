"""Parse a school's Social Media Policy document into numbered clauses.

Pure Python (no Django), shared by the default policy loader and ``socialguard policy import``.
Real policies are Word documents saved as text: numbering has gaps (3.3 lost in an edit), stray
``**`` from bold runs, bullets, unnumbered paragraphs that belong to the clause before them, and a
contents list that looks like headings. The parser is lenient where that is harmless and strict
where a mistake would mis-number a clause: duplicates, clauses out of order, or a clause under the
wrong section stop the import with the line number. What it is lenient about it says: every gap in
the numbering, every paragraph it left out and every header field it could not read is a warning
with the line it came from, shown before anyone publishes the draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path


class Obligation(StrEnum):
    MUST = "must"
    MUST_NOT = "must_not"
    SHOULD = "should"
    ADVICE = "advice"


class PolicyParseError(Exception):
    def __init__(self, *, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class ParseWarning:
    line: int
    message: str


@dataclass(frozen=True)
class ParsedSection:
    number: str  # "5", "A.4"
    title: str
    line: int


@dataclass(frozen=True)
class ParsedClause:
    number: str
    section_number: str
    section_title: str
    text: str
    obligation: Obligation
    line: int
    position: int


@dataclass
class ParsedPolicy:
    title: str = ""
    organisation: str = ""
    version: str = ""
    approved_on: str | None = None
    approved_by: str = ""
    next_review: str | None = None
    sections: list[ParsedSection] = field(default_factory=list)
    clauses: list[ParsedClause] = field(default_factory=list)
    appendix_text: dict[str, str] = field(default_factory=dict)
    warnings: list[ParseWarning] = field(default_factory=list)


CLAUSE = re.compile(
    r"^(?:[-•*]\s+)?(?:\*\*)?(\d{1,2}\.\d{1,2}|[A-Z]\.\d{1,2}\.\d{1,2})\b\**\s*(.*)$"
)
SECTION = re.compile(r"^(\d{1,2})\.?\s+(.+)$")
SUBSECTION = re.compile(r"^([A-Z]\.\d{1,2})\s+(.+)$")
APPENDIX = re.compile(r"^APPENDIX\s+([A-Z])\b\s*:?\s*(.*)$", re.IGNORECASE)
CONTENTS_ENTRY = re.compile(r"\t\s*\d+\s*$")  # "1\tIntroduction\t2": a page number at the end
HEADER_LABELS = {
    "version": "version",
    "date approved": "approved_on",
    "approved on": "approved_on",
    "approved": "approved_on",
    "approved by": "approved_by",
    "next review date": "next_review",
    "next review": "next_review",
    "review date": "next_review",
}
HEADER_WORDS = {
    "version": "version",
    "approved_on": "date approved",
    "approved_by": "approved by",
    "next_review": "next review date",
}
# "Approved by: FGB", "**Next review date** - April 2027", "Version\t3" (a two-column table)
HEADER_LINE = re.compile(
    r"^(?:[-*]\s+)?("
    + "|".join(sorted(map(re.escape, HEADER_LABELS), key=len, reverse=True))
    + r")\s*(?::|\t|\||\s[-\u2013]\s)\s*(.+?)\s*\|?$",
    re.IGNORECASE,
)
_OBLIGATIONS = (
    (Obligation.MUST_NOT, r"\bmust (?:not|never)\b|\bnot (?:be )?allowed\b|\bmust decline\b"),
    (Obligation.MUST, r"\bmust\b|\bcan only\b|\bonly (?:be )?(?:created|used) (?:by|according)"),
    (Obligation.SHOULD, r"\bshould\b|\bexpected to\b|\badvised\b|\bgood idea\b"),
)


def classify_obligation(text: str) -> Obligation:
    """The strongest duty the clause's own words state: must not > must > should > advice."""
    lowered = " ".join(text.lower().split())
    for obligation, pattern in _OBLIGATIONS:
        if re.search(pattern, lowered):
            return obligation
    return Obligation.ADVICE


def _clean(line: str) -> str:
    """Drop markdown/Word debris: heading hashes, bold and italic markers, trailing spaces."""
    line = line.rstrip().lstrip("\ufeff")
    line = re.sub(r"^#{1,6}\s+", "", line)
    line = line.replace("**", "")
    line = re.sub(r"<input[^>]*checkbox[^>]*>", "\u2610", line)  # the paper form's tick-boxes
    line = re.sub(r"</?[a-zA-Z][^>]*>", "", line)  # other markup left by a converter
    return re.sub(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"\1", line)


def _is_heading_text(title: str, *, markdown: bool) -> bool:
    """Headings are capitals in Word policies ('1 INTRODUCTION'); any case in markdown."""
    first_word = re.sub(r"[^A-Za-z]", "", title.split()[0]) if title.split() else ""
    return markdown or (len(first_word) > 1 and first_word.isupper())


def _sentence_case(title: str) -> str:
    words = title.split()
    out = [w if not w.isupper() or len(w) < 2 else w.lower() for w in words]
    text = " ".join(out).strip(" *")
    return text[:1].upper() + text[1:]


class _Parser:
    def __init__(self, text: str) -> None:
        self.raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.policy = ParsedPolicy()
        self.section: ParsedSection | None = None
        self.numbers: set[str] = set()
        self.current: dict[str, object] | None = None
        self.appendix: str | None = None
        self.appendix_lines: list[str] = []
        self.pending: list[dict[str, object]] = []
        self.header_lines: set[int] = set()  # the header table's rows are not clauses

    def parse(self) -> ParsedPolicy:
        self._read_header()
        for index, raw in enumerate(self.raw_lines, start=1):
            self._line(index, raw)
        self._finish()
        return self.policy

    def _read_header(self) -> None:
        lines = [(i, _clean(raw)) for i, raw in enumerate(self.raw_lines, start=1)]
        texts = [t.strip() for _, t in lines if t.strip()]
        if texts:
            self.policy.title = texts[0]
        found = self._header_table(lines) or self._header_lines(lines)
        for key, words in HEADER_WORDS.items():
            value = getattr(self.policy, key)
            if not value:
                self._warn(found or 1, f"the header gives no {words}; enter it before publishing")
            elif key in {"approved_on", "next_review"} and parse_month_year(value) is None:
                self._warn(
                    found or 1,
                    f"the {words} '{value}' is not a date socialguard can read "
                    "(write it like 'April 2019' or '30/04/2019'); enter it before publishing",
                )

    def _header_table(self, lines: list[tuple[int, str]]) -> int:
        """The Word layout: a row of labels, then a row of values. Returns the values' line."""
        for pos, (_, text) in enumerate(lines):
            cells = [c.strip() for c in re.split(r"\t|\|", text)]
            keys = [HEADER_LABELS.get(c.lower()) for c in cells]
            if sum(k is not None for k in keys) < 2:
                continue
            above = [t.strip() for _, t in lines[:pos] if t.strip()]
            self.policy.organisation = " ".join(above[1:])  # the lines between title and table
            self.header_lines.add(lines[pos][0])
            for line, values_text in lines[pos + 1 :]:
                values = [c.strip() for c in re.split(r"\t|\|", values_text)]
                if any(values) and not set("".join(values)) <= set("-: "):
                    for key, value in zip(keys, values, strict=False):
                        if key and value:
                            setattr(self.policy, key, value)
                    self.header_lines.add(line)
                    return line
        return 0

    def _header_lines(self, lines: list[tuple[int, str]]) -> int:
        """'Approved by: FGB' lines above the first section. Returns the last one's line."""
        last = 0
        for line, text in lines:
            stripped = text.strip()
            section = SECTION.match(stripped)
            if CLAUSE.match(stripped) or APPENDIX.match(stripped):
                break
            if section is not None and _is_heading_text(section.group(2), markdown=False):
                break
            match = HEADER_LINE.match(stripped)
            if match is not None:
                key = HEADER_LABELS[match.group(1).lower()]
                if not getattr(self.policy, key):
                    setattr(self.policy, key, match.group(2).strip(" *|"))
                    last = line
                self.header_lines.add(line)
        return last

    def _warn(self, line: int, message: str) -> None:
        self.policy.warnings.append(ParseWarning(line=line, message=message))

    def _line(self, index: int, raw: str) -> None:
        markdown = raw.lstrip().startswith("#")
        text = _clean(raw).strip()
        if not text or index in self.header_lines:
            return
        if CONTENTS_ENTRY.search(raw) or text.upper().startswith("CONTENTS"):
            return
        if (appendix := APPENDIX.match(text)) is not None:
            self._close_clause()
            self._flush_appendix()
            self.appendix = appendix.group(1).upper()
            self.appendix_lines = [appendix.group(2)] if appendix.group(2) else []
            self.section = None
            return
        if (clause := CLAUSE.match(text)) is not None:
            self._start_clause(index, clause.group(1), clause.group(2))
            return
        if self._heading(index, text, markdown=markdown):
            return
        if self.current is not None:
            self.current["text"] = f"{self.current['text']}\n{text}"
        elif self.appendix is not None:
            self.appendix_lines.append(text)
        elif self.section is not None:
            self._warn(
                index,
                f"this paragraph under section {self.section.number}'s heading is in no numbered "
                f"clause, so it was left out: '{_excerpt(text)}'",
            )

    def _heading(self, index: int, text: str, *, markdown: bool) -> bool:
        sub = SUBSECTION.match(text)
        if (
            sub is not None
            and self.appendix == sub.group(1)[0]
            and _is_heading_text(sub.group(2), markdown=markdown)
        ):
            self._open_section(index, sub.group(1), sub.group(2))
            return True
        main = SECTION.match(text)
        if (
            main is not None
            and self.appendix is None
            and _is_heading_text(main.group(2), markdown=markdown)
        ):
            self._open_section(index, main.group(1), main.group(2))
            return True
        return False

    def _open_section(self, index: int, number: str, title: str) -> None:
        self._close_clause()
        if any(s.number == number for s in self.policy.sections):
            raise PolicyParseError(line=index, message=f"section {number} appears twice")
        self.section = ParsedSection(number=number, title=_sentence_case(title), line=index)
        self.policy.sections.append(self.section)

    def _start_clause(self, index: int, number: str, text: str) -> None:
        self._close_clause()
        section_number = number.rsplit(".", 1)[0]
        if self.section is None or self.section.number != section_number:
            where = f"section {self.section.number}" if self.section else "before any section"
            raise PolicyParseError(
                line=index,
                message=f"clause {number} appears under {where}; "
                f"add the heading for section {section_number} above it",
            )
        if number in self.numbers:
            raise PolicyParseError(line=index, message=f"clause {number} appears twice")
        previous = [c for c in self.pending if c["section"] == section_number]
        if previous and _order(number) < _order(str(previous[-1]["number"])):
            raise PolicyParseError(
                line=index, message=f"clause {number} comes after {previous[-1]['number']}"
            )
        self._warn_gap(index, number, str(previous[-1]["number"]) if previous else None)
        self.numbers.add(number)
        self.current = {"number": number, "section": section_number, "text": text, "line": index}

    def _warn_gap(self, index: int, number: str, previous: str | None) -> None:
        """3.4 after 3.2: a clause lost in an edit, or a typing slip. Either way, say so."""
        expected = _order(previous)[-1] + 1 if previous else 1
        got = _order(number)[-1]
        if got == expected:
            return
        stem = number.rsplit(".", 1)[0]
        missing = [f"{stem}.{n}" for n in range(expected, got)]
        named = ", ".join(missing[:-1]) + " and " + missing[-1] if len(missing) > 1 else missing[0]
        after = f"follows {previous}" if previous else "is the first clause of its section"
        verb = "are" if len(missing) > 1 else "is"
        self._warn(index, f"clause {number} {after}: {named} {verb} missing from the numbering")

    def _close_clause(self) -> None:
        if self.current is not None:
            self.pending.append(self.current)
            self.current = None

    def _flush_appendix(self) -> None:
        if (
            self.appendix is not None
            and self.appendix_lines
            and not any(s.number.startswith(f"{self.appendix}.") for s in self.policy.sections)
        ):
            self.policy.appendix_text[self.appendix] = "\n".join(self.appendix_lines).strip()
        self.appendix_lines = []

    def _finish(self) -> None:
        self._close_clause()
        self._flush_appendix()
        if not self.pending:
            raise PolicyParseError(
                line=1,
                message="no numbered clauses found; expected lines like '1.1 Text' or "
                "'A.1.1 Text' under numbered section headings (if the document uses Word's "
                "automatic numbering, save it with the numbers as text first)",
            )
        titles = {s.number: s.title for s in self.policy.sections}
        used = {str(c["section"]) for c in self.pending}
        for section in self.policy.sections:
            if section.number not in used:
                self._warn(
                    section.line,
                    f"section {section.number} ({section.title}) has no numbered clauses; "
                    "it was left out",
                )
        self.policy.sections = [s for s in self.policy.sections if s.number in used]
        self.policy.warnings.sort(key=lambda w: w.line)
        for position, item in enumerate(self.pending):
            text = _tidy(str(item["text"]))
            self.policy.clauses.append(
                ParsedClause(
                    number=str(item["number"]),
                    section_number=str(item["section"]),
                    section_title=titles[str(item["section"])],
                    text=text,
                    obligation=classify_obligation(text),
                    line=int(str(item["line"])),
                    position=position,
                )
            )


def _order(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split(".") if part.isdigit())


def _excerpt(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _tidy(text: str) -> str:
    lines = [re.sub(r"^[•*]\s+", "- ", line.strip()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def parse_policy_text(*, text: str, source_name: str = "") -> ParsedPolicy:
    if not text.strip():
        raise PolicyParseError(line=1, message=f"{source_name or 'the document'} is empty")
    return _Parser(text).parse()


MAX_UPLOAD_BYTES = 5 * 1024 * 1024
READABLE = (".docx", ".md", ".markdown", ".txt")


def read_policy_file(*, path: Path) -> str:
    return read_policy_bytes(name=path.name, data=path.read_bytes())


def read_policy_bytes(*, name: str, data: bytes) -> str:
    """The document's text, from its name's extension and its bytes (nothing is written)."""
    suffix = Path(name).suffix.lower()
    if suffix in {".txt", ".md", ".markdown"}:
        return _decode_text(data)
    if suffix == ".docx":
        return _read_docx(data)
    if suffix == ".pdf":
        raise PolicyParseError(
            line=1,
            message="PDF files cannot be read reliably enough to number clauses (their lines "
            "and tables come apart); open the policy in Word and upload the .docx, or save it "
            "as plain text (.txt)",
        )
    if suffix in {".doc", ".odt", ".rtf"}:
        raise PolicyParseError(
            line=1,
            message=f"'{suffix}' documents cannot be read; open it in Word or LibreOffice and "
            "save it as .docx (Word Document) first",
        )
    raise PolicyParseError(
        line=1, message=f"cannot read '{suffix or name}' files; use .docx, .md or .txt"
    )


def _decode_text(data: bytes) -> str:
    """UTF-8 (with or without Word's byte-order mark); else Windows' own encoding, which is
    what Notepad and older Word save as 'plain text'."""
    if b"\x00" in data:
        raise PolicyParseError(line=1, message="this is not a text file (it has binary data in it)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_docx(data: bytes) -> str:
    """Paragraphs and tables in document order; table cells are joined with tabs."""
    import io

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several types for a damaged file
        raise PolicyParseError(
            line=1, message="not a readable .docx file (it may be damaged, or not really Word)"
        ) from error
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend("\t".join(cell.text for cell in row.cells) for row in block.rows)
    return "\n".join(lines)


def parse_policy_file(*, path: Path) -> ParsedPolicy:
    return parse_policy_text(text=read_policy_file(path=path), source_name=path.name)


_DATE_FORMATS = ("%B %Y", "%b %Y", "%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y")


def parse_month_year(value: str) -> date | None:
    """'April 2019' -> 2019-04-01; also '30/04/2019', '2019-04-30', '30 April 2019'."""
    value = " ".join(value.split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None
