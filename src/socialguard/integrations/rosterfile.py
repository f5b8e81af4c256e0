"""Reading a roster CSV exported from a school's MIS (SIMS, Arbor, Bromcom).

Pure Python: bytes in, rows out, or an ``ApplicationError`` whose message names the lines that
could not be read. Nothing here touches the database, so the page, the CLI and the tests read a
file the same way.

The column shapes are the headers each MIS puts on its standard pupil and staff exports (the
report designer's defaults); a school whose export differs saves its own column names once
(``RosterMapping``) and picks "our own column names".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from socialguard.core.errors import ApplicationError

PUPILS = "pupils"
STAFF = "staff"
KINDS = (PUPILS, STAFF)

# The fields of a roster row, in the order a person reads them on the mapping page.
PUPIL_FIELDS = (
    "external_id",
    "legal_first",
    "legal_last",
    "preferred_first",
    "preferred_last",
    "year",
    "class_name",
)
STAFF_FIELDS = ("external_id", "first", "last", "email", "role", "line_manager")
FIELDS = {PUPILS: PUPIL_FIELDS, STAFF: STAFF_FIELDS}
REQUIRED = {
    PUPILS: ("legal_first", "legal_last", "year"),
    STAFF: ("first", "last", "email"),
}
FIELD_LABELS = {
    "external_id": "Identifier in the MIS (UPN or staff code)",
    "legal_first": "Legal first name",
    "legal_last": "Legal surname",
    "preferred_first": "Preferred first name",
    "preferred_last": "Preferred surname",
    "year": "Year group (Reception to Year 6)",
    "class_name": "Class or registration group",
    "first": "First name",
    "last": "Surname",
    "email": "Work e-mail address",
    "role": "Role or job title",
    "line_manager": "Line manager's e-mail address",
}

SIMS, ARBOR, BROMCOM, OWN = "sims", "arbor", "bromcom", "own"
SOURCE_LABELS = {
    SIMS: "SIMS",
    ARBOR: "Arbor",
    BROMCOM: "Bromcom",
    OWN: "Our own column names",
}
PRESETS: dict[str, dict[str, dict[str, str]]] = {
    SIMS: {
        PUPILS: {
            "external_id": "UPN",
            "legal_first": "Legal Forename",
            "legal_last": "Legal Surname",
            "preferred_first": "Preferred Forename",
            "preferred_last": "Preferred Surname",
            "year": "Year",
            "class_name": "Reg Group",
        },
        STAFF: {
            "external_id": "Staff Code",
            "first": "Legal Forename",
            "last": "Legal Surname",
            "email": "Work Email",
            "role": "Role",
            "line_manager": "Line Manager Email",
        },
    },
    ARBOR: {
        PUPILS: {
            "external_id": "UPN",
            "legal_first": "Legal First Name",
            "legal_last": "Legal Last Name",
            "preferred_first": "Preferred First Name",
            "preferred_last": "Preferred Last Name",
            "year": "Year Group",
            "class_name": "Registration Form",
        },
        STAFF: {
            "external_id": "Staff ID",
            "first": "First Name",
            "last": "Last Name",
            "email": "Work Email Address",
            "role": "Job Title",
            "line_manager": "Line Manager Email Address",
        },
    },
    BROMCOM: {
        PUPILS: {
            "external_id": "UPN",
            "legal_first": "LegalForename",
            "legal_last": "LegalSurname",
            "preferred_first": "PreferredForename",
            "preferred_last": "PreferredSurname",
            "year": "NCYear",
            "class_name": "Class",
        },
        STAFF: {
            "external_id": "StaffCode",
            "first": "Forename",
            "last": "Surname",
            "email": "WorkEmail",
            "role": "Role",
            "line_manager": "LineManagerEmail",
        },
    },
}

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_ERRORS_SHOWN = 20
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_RECEPTION = {"r", "rec", "reception", "yr", "year r", "fs2", "f2"}
_YEAR = re.compile(r"^(?:y|yr|year|nc\s*year)?\s*0?([1-6])$")


@dataclass(frozen=True)
class PupilRow:
    line: int
    external_id: str
    legal_first: str
    legal_last: str
    preferred_first: str
    preferred_last: str
    year: str
    class_name: str

    def key(self) -> str:
        return self.external_id or f"{self.legal_first}|{self.legal_last}".casefold()


@dataclass(frozen=True)
class StaffRow:
    line: int
    external_id: str
    first: str
    last: str
    email: str
    role: str
    line_manager: str

    def key(self) -> str:
        return self.external_id or self.email.casefold()


Row = PupilRow | StaffRow


def decode(data: bytes) -> str:
    """The file's text. MIS exports are UTF-8 (often with a byte-order mark) or, from older
    Windows report designers, Windows-1252; UTF-16 comes from Excel's "Unicode text"."""
    if not data.strip():
        raise ApplicationError("The file is empty: export the roster from the MIS again.")
    if len(data) > MAX_BYTES:
        raise ApplicationError("The file is larger than 5 MB: export one school at a time.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ApplicationError(
        "The file's characters cannot be read: save it from the MIS as CSV (UTF-8) and try again."
    )


def year_group(raw: str) -> str | None:
    """``raw`` as R or 1..6 ("Reception", "Year 3", "Y3", "03"), or None."""
    text = " ".join(raw.strip().casefold().split())
    if text in _RECEPTION:
        return "R"
    match = _YEAR.match(text)
    return match.group(1) if match else None


def columns_for(source: str, kind: str, own: Mapping[str, str] | None) -> dict[str, str]:
    if source == OWN:
        if not own:
            raise ApplicationError(
                "No column names are saved for this organisation yet: save them on the "
                "column names page, or choose the MIS the file came from."
            )
        return dict(own)
    if source not in PRESETS:
        raise ApplicationError("Choose the MIS the file came from.")
    return PRESETS[source][kind]


def detect_source(headers: list[str], kind: str) -> str | None:
    """The MIS whose column shape the headers have (all its required columns present)."""
    have = {h.strip().casefold() for h in headers}
    for source, shapes in PRESETS.items():
        if all(shapes[kind][f].casefold() in have for f in REQUIRED[kind]):
            return source
    return None


def headers_of(data: bytes) -> list[str]:
    """The file's header line as a list (to tell which MIS it came from)."""
    text = decode(data)
    lines = text.splitlines()
    if not lines:
        return []
    try:
        return [h.strip() for h in next(csv.reader([lines[0]], dialect=_dialect(lines[0])), [])]
    except csv.Error:
        return []


def parse(data: bytes, *, kind: str, columns: Mapping[str, str]) -> list[Row]:
    """Every row of the file, or one ApplicationError listing the lines that are wrong."""
    if kind not in KINDS:
        raise ApplicationError("Choose pupils or staff.")
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
    try:
        headers = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise ApplicationError("The file has no header line.") from None
    index = _header_index(headers, kind, columns)
    rows: list[Row] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                raise ApplicationError(f"The file has more than {MAX_ROWS} rows.")
            fields = {f: _cell(values, i) for f, i in index.items()}
            problem = _check(fields, kind)
            if problem is None:
                row = _row(kind, line, fields)
                if row.key() in seen:
                    problem = f"the same person as on line {seen[row.key()]}"
                else:
                    seen[row.key()] = line
                    rows.append(row)
            if problem is not None:
                errors.append(f"Line {line}: {problem}.")
    except csv.Error as error:
        errors.append(f"Line {reader.line_num}: the line cannot be read as CSV ({error}).")
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        message = f"{len(errors)} line{'s' if len(errors) != 1 else ''} could not be read: "
        message += " ".join(shown) + (f" … and {more} more." if more else "")
        raise ApplicationError(message, detail=errors)
    if not rows:
        raise ApplicationError("The file has a header line but nobody in it.")
    return rows


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _header_index(headers: list[str], kind: str, columns: Mapping[str, str]) -> dict[str, int]:
    folded = {h.casefold(): i for i, h in enumerate(headers)}
    index: dict[str, int] = {}
    missing: list[str] = []
    for field in FIELDS[kind]:
        name = (columns.get(field) or "").strip()
        if name and name.casefold() in folded:
            index[field] = folded[name.casefold()]
        elif field in REQUIRED[kind]:
            missing.append(f"'{name or FIELD_LABELS[field]}'")
    if missing:
        raise ApplicationError(
            f"Line 1: the file has no column {', '.join(missing)}. Check that you chose the "
            "right MIS and kind of file, or save your own column names."
        )
    return index


def _cell(values: list[str], i: int) -> str:
    return " ".join(values[i].split()) if i < len(values) else ""


def _check(fields: dict[str, str], kind: str) -> str | None:
    for field in REQUIRED[kind]:
        if not fields.get(field):
            return f"{FIELD_LABELS[field].lower()} is empty"
    if kind == PUPILS and year_group(fields["year"]) is None:
        return f"the year group '{fields['year']}' is not Reception or Years 1 to 6"
    if kind == STAFF:
        if not EMAIL.match(fields["email"]):
            return f"'{fields['email']}' is not an e-mail address"
        manager = fields.get("line_manager", "")
        if manager and not EMAIL.match(manager):
            return f"the line manager '{manager}' is not an e-mail address"
    for value in fields.values():
        if len(value) > 150:
            return "a value is longer than 150 characters"
    return None


def _row(kind: str, line: int, fields: dict[str, str]) -> Row:
    if kind == PUPILS:
        return PupilRow(
            line=line,
            external_id=fields.get("external_id", ""),
            legal_first=fields["legal_first"],
            legal_last=fields["legal_last"],
            preferred_first=fields.get("preferred_first", ""),
            preferred_last=fields.get("preferred_last", ""),
            year=year_group(fields["year"]) or "",
            class_name=fields.get("class_name", ""),
        )
    return StaffRow(
        line=line,
        external_id=fields.get("external_id", ""),
        first=fields["first"],
        last=fields["last"],
        email=fields["email"].lower(),
        role=fields.get("role", ""),
        line_manager=fields.get("line_manager", "").lower(),
    )


def rows_to_data(rows: list[Row]) -> list[dict[str, Any]]:
    return [asdict(r) for r in rows]


def rows_from_data(kind: str, data: list[dict[str, Any]]) -> list[Row]:
    cls = PupilRow if kind == PUPILS else StaffRow
    return [cls(**d) for d in data]
