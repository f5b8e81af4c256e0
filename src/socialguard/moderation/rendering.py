"""Showing moderators what the screening engine found in a contribution's text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from socialguard.screening.categories import label as category_label


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str  # "plain" | "finding" | "masked" | "revealed"
    label: str = ""  # the category in a teacher's words (the registry's label)
    clauses: tuple[str, ...] = ()


def highlighted(
    text: str, findings: list[dict[str, Any]], *, reveal: bool = False
) -> list[Segment]:
    """Split ``text`` for display: spans the engine found are marked with their category and
    clauses, and personal data is masked (the moderator sees '[a pupil's full name]', not the
    name) unless ``reveal``: then the masked words are shown, marked as revealed."""
    marks: list[tuple[int, int, str, str, tuple[str, ...]]] = []
    for f in findings:
        start, end = int(f.get("start", 0)), int(f.get("end", 0))
        if 0 <= start < end <= len(text):
            kind = "masked" if f.get("redact") else "finding"
            label = category_label(str(f.get("category", "")))
            marks.append((start, end, kind, label, tuple(f.get("clauses", ()))))
    # Masks win over highlights where they overlap; otherwise the earliest, longest span wins.
    marks.sort(key=lambda m: (m[0], m[2] != "masked", -(m[1] - m[0])))
    segments: list[Segment] = []
    cursor = 0
    for start, end, kind, label, clauses in marks:
        if start < cursor:
            continue
        if start > cursor:
            segments.append(Segment(text[cursor:start], "plain"))
        if kind == "masked" and reveal:
            kind = "revealed"
        shown = f"[{label[:1].lower()}{label[1:]}]" if kind == "masked" else text[start:end]
        segments.append(Segment(shown, kind, label, clauses))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:], "plain"))
    return segments
