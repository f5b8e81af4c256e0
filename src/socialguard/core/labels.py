"""One registry of the words a page shows for a code: finding categories, review actions and the
events of an item's history, and audit action codes.

Pages never show a code ("extreme_offence", "raise_safeguarding", "cases.media.log"): the
template filters in ``core.templatetags.plain`` look the code up here. core imports no app, so
each app that has codes of its own declares them in its ``labels.py``, which registers them when
Django starts (``CoreConfig.ready`` imports every installed app's ``labels`` module). A code that
nobody registered is still shown in words, never as the code.
"""

from __future__ import annotations

from collections.abc import Mapping

KINDS = ("category", "review_action", "review_event", "audit_action", "audit_area")
_LABELS: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}


def register(kind: str, labels: Mapping[str, str]) -> None:
    if kind not in _LABELS:
        raise ValueError(f"Unknown kind of label: {kind!r}")
    _LABELS[kind].update(labels)


def registered(kind: str) -> dict[str, str]:
    return dict(_LABELS[kind])


def words(code: str) -> str:
    """A code read aloud, for one nobody registered: 'go_live' -> 'Go live'."""
    text = code.replace(".", " ").replace("_", " ").replace(":", " ").strip()
    return text[:1].upper() + text[1:]


def label(kind: str, code: str) -> str:
    return _LABELS[kind].get(code) or words(code or "")


def audit_action_label(code: str) -> str:
    """'cases.media.log' -> 'Media enquiry logged'. An unregistered action reads as its area
    and its words ('Sites: document terms'), never as the dotted code."""
    if code in _LABELS["audit_action"]:
        return _LABELS["audit_action"][code]
    area, _, rest = code.partition(".")
    area_label = _LABELS["audit_area"].get(area, words(area))
    return f"{area_label}: {words(rest).lower()}" if rest else area_label
