"""Small filters for the policy's own pages."""

from __future__ import annotations

from typing import Any

from django import template

from socialguard.policy.selectors import KIND_WORDS

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def change_word(kind: str) -> str:
    return KIND_WORDS.get(str(kind), str(kind))
