"""Turning what members write into HTML that is safe to show.

Members may use a little formatting (bold, italics, lists, links). Everything else, scripts and
event-handler attributes included, is removed by ``nh3`` (the Rust ``ammonia`` sanitiser) before
the HTML is stored, and templates only ever mark that stored output as safe."""

from __future__ import annotations

import re

import nh3

# The moderators' view of findings lives with the queue; re-exported for older callers.
from socialguard.moderation.rendering import Segment, highlighted  # noqa: F401

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
