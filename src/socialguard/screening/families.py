"""Finding categories grouped into the policy families the evaluation reports on: read from the
category registry, so a new category is counted where it belongs without a second list."""

from __future__ import annotations

from collections import defaultdict

from socialguard.screening.categories import CATEGORIES

_grouped: dict[str, set[str]] = defaultdict(set)
for _code, _entry in CATEGORIES.items():
    if _entry.family not in ("house_rules", "other"):
        _grouped[_entry.family].add(_code)
FAMILIES: dict[str, frozenset[str]] = {f: frozenset(c) for f, c in _grouped.items()}
FAMILY_OF = {category: family for family, categories in FAMILIES.items() for category in categories}
