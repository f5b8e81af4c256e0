"""Turning what members write into HTML that is safe to show, and showing moderators what the
screening engine found.

Members may use a little formatting (bold, italics, lists, links). Everything else, scripts and
event-handler attributes included, is removed by ``nh3`` (the Rust ``ammonia`` sanitiser) before
the HTML is stored, and templates only ever mark that stored output as safe."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "blockquote"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def body_html(text: str) -> str:
    """Paragraphs from blank lines, line breaks kept, then sanitised."""
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n"))]
    html = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs if p)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str  # "plain" | "finding" | "masked"
    label: str = ""


def highlighted(text: str, findings: list[dict[str, Any]]) -> list[Segment]:
    """Split ``text`` for display: spans the engine found are marked with their category and
    clauses, and personal data is masked (the moderator sees '[pupil name]', not the name)."""
    marks: list[tuple[int, int, str, str]] = []
    for f in findings:
        start, end = int(f.get("start", 0)), int(f.get("end", 0))
        if 0 <= start < end <= len(text):
            kind = "masked" if f.get("redact") else "finding"
            label = f"{f.get('category', '')} ({', '.join(f.get('clauses', []))})"
            marks.append((start, end, kind, label))
    # Masks win over highlights where they overlap; otherwise the earliest, longest span wins.
    marks.sort(key=lambda m: (m[0], m[2] != "masked", -(m[1] - m[0])))
    segments: list[Segment] = []
    cursor = 0
    for start, end, kind, label in marks:
        if start < cursor:
            continue
        if start > cursor:
            segments.append(Segment(text[cursor:start], "plain"))
        shown = (
            f"[{label.split(' (')[0].replace('_', ' ')}]" if kind == "masked" else text[start:end]
        )
        segments.append(Segment(shown, kind, label))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:], "plain"))
    return segments
