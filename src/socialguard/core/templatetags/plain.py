"""Plain words on every page: codes become the registry's words (``core.labels``) and clause
numbers become links to the policy (``/policy/#A.5.6``).

    {% load plain %}
    {{ finding.category|category_label }}   {{ h.event|review_event }}
    {{ event.action|audit_action }}         {{ signal.reason|plain_words }}

Where a decision's time is known, ``{% clause_link_at number when %}`` links to the version that
was in force then (``/policy/versions/3/#A.5.6``); the current version keeps ``/policy/#A.5.6``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from socialguard.core import labels

register = template.Library()

# "A.5.6", "A.4" anywhere; "6.11", "3.1" only where a clause is clearly meant: inside brackets
# or after the word "clause" (so "1.5 MB" or "12.30" stay text).
_APPENDIX = r"A\.\d{1,2}(?:\.\d{1,2})?"
_NUMBERED = r"\d{1,2}\.\d{1,2}"
_CLAUSE = re.compile(
    rf"\b({_APPENDIX})\b|(?<=[(,;] )({_NUMBERED})\b|(?<=\()({_NUMBERED})\b"
    rf"|(?<=[Cc]lause )({_NUMBERED})\b"
)
_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
_WATCHED = re.compile(r"\(?\bwatched:(\d+)\)?")
_BASIS = re.compile(r"\b(house_rule|clause):([A-Za-z0-9.]+)")


# (published at, the version's page, or "" for the current one), oldest first, of one
# organisation. The policy app registers it (core imports no app); without one, every link goes
# to the current version.
Timeline = Sequence[tuple[datetime, str]]
_timeline: Callable[[int], Timeline] | None = None


def register_policy_timeline(provider: Callable[[int], Timeline]) -> None:
    global _timeline
    _timeline = provider


def _policy_link(number: str, base: str = "") -> str:
    return format_html(
        '<a class="clause-ref" href="{}#{}">{}</a>',
        base or reverse("policy:current"),
        number,
        number,
    )


def _version_base(context: Any, when: object) -> str:
    """The page of the version in force at ``when`` for the signed-in person's organisation;
    "" (the current page) when that is the current version, or when it cannot be known."""
    request = context.get("request")
    organisation_id = getattr(getattr(request, "user", None), "organisation_id", None)
    if _timeline is None or organisation_id is None or not isinstance(when, datetime):
        return ""
    cache = request.__dict__.setdefault("_policy_timeline", {})  # one query per page
    if organisation_id not in cache:
        cache[organisation_id] = list(_timeline(organisation_id))
    timeline: list[tuple[datetime, str]] = cache[organisation_id]
    index = bisect.bisect_right([at for at, _ in timeline], when) - 1
    return timeline[index][1] if index >= 0 else ""


@register.simple_tag(takes_context=True)
def clause_link_at(context: Any, number: object, when: object) -> SafeString:
    """``clause_link`` to the version of the policy in force at ``when``."""
    return mark_safe(_policy_link(str(number), _version_base(context, when)))  # format_html


@register.simple_tag(takes_context=True)
def clause_links_at(context: Any, text: object, when: object) -> SafeString:
    """``clause_links`` to the version of the policy in force at ``when``."""
    base = _version_base(context, when)
    escaped = str(escape(text))
    return mark_safe(  # escaped above
        _CLAUSE.sub(lambda m: _policy_link(next(g for g in m.groups() if g), base), escaped)
    )


@register.simple_tag(takes_context=True)
def plain_words_at(context: Any, text: object, when: object) -> SafeString:
    """``plain_words``, its clause links to the version of the policy in force at ``when``."""
    return clause_links_at(context, plain_text(str(text or "")), when)


def _link_clauses(escaped: str) -> str:
    return _CLAUSE.sub(lambda m: _policy_link(next(g for g in m.groups() if g)), escaped)


@register.filter
def clause_links(text: object) -> SafeString:
    """Escape ``text`` and link every clause number in it to the policy."""
    return mark_safe(_link_clauses(str(escape(text))))  # escaped above


@register.filter
def clause_link(number: object) -> SafeString:
    return mark_safe(_policy_link(str(number)))  # format_html escapes


@register.filter
def category_label(code: object) -> str:
    return labels.label("category", str(code or ""))


@register.filter
def review_action(code: object) -> str:
    return labels.label("review_action", str(code or ""))


@register.filter
def review_event(code: object) -> str:
    return labels.label("review_event", str(code or ""))


@register.filter
def audit_action(code: object) -> str:
    return labels.audit_action_label(str(code or ""))


@register.filter
def basis_label(basis: object) -> str:
    """'house_rule:3' -> 'House Rule 3'; 'clause:A.5.6' -> 'clause A.5.6'."""
    kind, _, value = str(basis or "").partition(":")
    if kind == "house_rule":
        return f"House Rule {value}"
    if kind == "clause":
        return f"clause {value}"
    return str(basis or "")


def plain_text(text: str) -> str:
    """Stored free text (a signal's reason, an explanation) with codes put into words."""
    text = _WATCHED.sub(lambda m: f"(House Rule {m.group(1)})", text)
    text = _BASIS.sub(lambda m: basis_label(m.group(0)), text)
    known = labels.registered("category")
    text = _CODE.sub(lambda m: known.get(m.group(0), m.group(0)), text)
    # "A (A.5.6); A (A.5.6)": one finding per kind is enough to say why.
    return "; ".join(dict.fromkeys(part.strip() for part in text.split("; ")))


@register.filter
def plain_words(text: object) -> SafeString:
    """``plain_text``, escaped, with its clause numbers linked to the policy."""
    return clause_links(plain_text(str(text or "")))


@register.filter
def masked_summary(findings: object) -> str:
    """'A pupil's full name (A.5.2), a phone number (A.4.9)': each masked kind once."""
    seen: dict[str, list[str]] = {}
    for finding in findings if isinstance(findings, list) else []:
        name = category_label(finding.get("category", ""))
        seen.setdefault(name, [])
        seen[name] += [c for c in finding.get("clauses", []) if c not in seen[name]]
    parts = [f"{name} ({', '.join(cl)})" if cl else name for name, cl in seen.items()]
    text = ", ".join(p[:1].lower() + p[1:] for p in parts)
    return text[:1].upper() + text[1:]


@register.simple_tag
def audit_areas() -> list[tuple[str, str]]:
    """(prefix, words) for the audit trail's "Kind of change" filter, by words."""
    areas = labels.registered("audit_area")
    return sorted(((f"{code}.", name) for code, name in areas.items()), key=lambda a: a[1])


@register.filter
def segments_text(segments: object) -> str:
    """The text a moderator sees (masked words as '[a phone number]'), for the edit box: editing
    must not show what the mask hides."""
    return (
        "".join(str(getattr(s, "text", "")) for s in segments) if isinstance(segments, list) else ""
    )
