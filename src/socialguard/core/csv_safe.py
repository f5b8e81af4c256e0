"""The one way the product writes CSV: cells a spreadsheet would run as a formula are defused.

A site named ``=HYPERLINK("http://evil.example","x")`` must reach the governors' spreadsheet as
text, not as a live link. Spreadsheet programs treat a cell as a formula (or a DDE command) when
it begins with ``=``, ``+``, ``-`` or ``@``, and some also after a leading tab or carriage return,
so such a cell is prefixed with a single quote, which every common spreadsheet shows as text and
hides. Numbers (ints, floats, decimals: not strings) are written as they are, so a negative
count still sums.

``defusedcsv`` was considered: it leaves tab and carriage return alone and rewrites ``|`` inside
cells, which would alter the audit trail's details as exported; this helper is twelve lines.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from numbers import Number
from typing import Any, Protocol

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise(value: object) -> object:
    """The cell as written: a string that a spreadsheet would evaluate gets a leading quote."""
    if value is None or isinstance(value, bool | Number):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer`` with every cell passed through ``neutralise``."""

    def __init__(self, stream: _Writable, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """``csv.DictWriter`` with every value passed through ``neutralise`` (headers are ours)."""

    def __init__(self, stream: _Writable, *, fieldnames: Iterable[str], **options: Any) -> None:
        self._writer = csv.DictWriter(stream, fieldnames=list(fieldnames), **options)

    def writeheader(self) -> Any:
        return self._writer.writeheader()

    def writerow(self, row: Mapping[str, object]) -> Any:
        return self._writer.writerow({key: neutralise(value) for key, value in row.items()})
