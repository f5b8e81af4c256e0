"""Rules as data: every pattern detector's phrases, in one versioned JSON file per detector
(``rules/<detector>.json``), one schema, compiled once per process with RE2 (linear time, no
back-tracking), so a phrase can make screening neither slow nor wrong in a way a test misses.

A file says *what to look for*: for each rule a category code, the clauses it cites, a severity,
a plain-English explanation, patterns, and examples that must and must not match (checked by
``tests/test_rules_data.py`` through the real detector). It never says *what follows*: labels,
routing and blocking are the category registry's (``screening/categories.py``) alone.

RE2 has no look-around: a negative look-ahead is written as ``unless_followed_by`` (patterns
tried right after a match) or ``unless_matching`` (tried where the match starts: "called me on
Sunday" is not name-calling), and context such as reporting or negation as a named ``list`` that
the detector checks near the match (its ``conditions``). ``{NAME}`` in a pattern is replaced by
the file's fragment ``NAME`` (e.g. ``{ADULT}``, ``{GROUPS}``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import re2

from socialguard.screening.base import SEVERITY_RANK, Detector, Finding
from socialguard.screening.categories import CATEGORIES

RULES_DIR = Path(__file__).resolve().parent
VIEWS = ("original", "plain", "folded")
MIN_EXAMPLES = 3
# What a rule may ask its detector to check around a match (RE2 has no look-behind).
CONDITIONS = {
    "not_reported": "reporting or quoting words just before turn it into 'abusive words reported'",
    "not_negated": "a negation just before ('you are not stupid') drops it",
    "about_a_person": "only where a person is referred to near the match",
    "staff_author": "only where a member of staff writes it",
}
_TOP = {"about", "version", "detector", "view", "fragments", "lists", "examples_context", "rules"}
_REQUIRED = {
    "id",
    "category",
    "clauses",
    "severity",
    "explanation",
    "patterns",
    "must_match",
    "must_not_match",
}
_OPTIONAL = {"score", "conditions", "unless_followed_by", "unless_matching"}
_FRAGMENT = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")  # quantifiers like {2,} never start with a letter

_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False
_OPTIONS.max_mem = 8 << 20
_OPTIONS.log_errors = False


class RulesError(ValueError):
    """A rules file that breaks the schema; the message names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    clauses: tuple[str, ...]
    severity: str
    score: float
    explanation: str
    conditions: frozenset[str]
    must_match: tuple[str, ...]
    must_not_match: tuple[str, ...]
    source: str
    pattern: Any = field(repr=False)
    unless_followed_by: Any = field(repr=False, default=None)
    unless_matching: Any = field(repr=False, default=None)

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        after, instead = self.unless_followed_by, self.unless_matching
        for match in self.pattern.finditer(text):
            if after is not None and after.match(text, match.end()):
                continue
            if instead is not None and instead.match(text, match.start()):
                continue
            yield match.start(), match.end()

    def finding(self, detector: Detector, *, start: int, end: int) -> Finding:
        return detector.finding(
            category=self.category,
            start=start,
            end=end,
            clauses=self.clauses,
            severity=self.severity,
            score=self.score,
            explanation=self.explanation,
        )


@dataclass(frozen=True)
class Ruleset:
    detector: str
    version: int
    view: str
    rules: tuple[Rule, ...]
    lists: dict[str, Any]
    examples_context: dict[str, str]
    prefilter: Any = field(repr=False)
    fragments: dict[str, str] = field(default_factory=dict)  # as written, unexpanded

    def matching(self, text: str) -> list[Rule]:
        """The rules with a match anywhere in ``text``, in file order: one RE2 pass for all."""
        return [self.rules[i] for i in sorted(self.prefilter.Match(text) or ())]

    def spans(self, name: str, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self.lists[name].finditer(text)]

    def search(self, name: str, text: str) -> bool:
        return self.lists[name].search(text) is not None


def _compile(source: str, where: str, patterns: Any, fragments: dict[str, str]) -> Any:
    if (
        not isinstance(patterns, list)
        or not patterns
        or not all(isinstance(p, str) and p for p in patterns)
    ):
        raise RulesError(f"{source} {where}: patterns must be a non-empty list of strings")
    parts = []
    for pattern in patterns:
        unknown = set(_FRAGMENT.findall(pattern)) - set(fragments)
        if unknown:
            raise RulesError(f"{source} {where}: unknown fragment {', '.join(sorted(unknown))}")
        expanded = _FRAGMENT.sub(lambda m: fragments[m.group(1)], pattern)
        try:
            re2.compile(expanded, _OPTIONS)
        except Exception as error:  # re2.error: RE2 refuses look-around and back-references
            raise RulesError(
                f"{source} {where}: RE2 cannot compile {pattern!r} ({error})"
            ) from None
        parts.append(f"(?:{expanded})")
    return "|".join(parts)


def _rule(source: str, raw: Any, fragments: dict[str, str]) -> tuple[Rule, str]:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise RulesError(f"{source}: every rule needs an 'id'")
    where = f"rule {raw['id']!r}"
    missing, extra = _REQUIRED - set(raw), set(raw) - _REQUIRED - _OPTIONAL
    if missing or extra:
        raise RulesError(f"{source} {where}: missing {sorted(missing)}, unknown {sorted(extra)}")
    if raw["category"] not in CATEGORIES:
        raise RulesError(f"{source} {where}: {raw['category']!r} is not in the category registry")
    if raw["severity"] not in SEVERITY_RANK:
        raise RulesError(
            f"{source} {where}: severity {raw['severity']!r} is not one of "
            f"{', '.join(SEVERITY_RANK)}"
        )
    for key in ("clauses", "must_match", "must_not_match"):
        value = raw[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise RulesError(f"{source} {where}: {key} must be a list of strings")
        if key != "clauses" and len(value) < MIN_EXAMPLES:
            raise RulesError(f"{source} {where}: {key} needs at least {MIN_EXAMPLES} examples")
    conditions = frozenset(raw.get("conditions", ()))
    if conditions - set(CONDITIONS):
        raise RulesError(
            f"{source} {where}: unknown conditions {sorted(conditions - set(CONDITIONS))}"
        )
    pattern = _compile(source, where, raw["patterns"], fragments)
    unless = {
        key: re2.compile(_compile(source, where, raw[key], fragments), _OPTIONS)
        for key in ("unless_followed_by", "unless_matching")
        if key in raw
    }
    rule = Rule(
        id=raw["id"],
        category=raw["category"],
        clauses=tuple(raw["clauses"]),
        severity=raw["severity"],
        score=float(raw.get("score", 0.8)),
        explanation=raw["explanation"],
        conditions=conditions,
        must_match=tuple(raw["must_match"]),
        must_not_match=tuple(raw["must_not_match"]),
        source=source,
        pattern=re2.compile(pattern, _OPTIONS),
        **unless,
    )
    return rule, pattern


def load(path: Path) -> Ruleset:
    """Read, validate and compile one rules file."""
    source = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RulesError(f"{source}: cannot be read as JSON ({error})") from None
    if not isinstance(data, dict) or set(data) - _TOP:
        raise RulesError(f"{source}: top-level keys must be among {', '.join(sorted(_TOP))}")
    if not isinstance(data.get("version"), int) or data["version"] < 1:
        raise RulesError(f"{source}: 'version' must be a whole number from 1")
    if data.get("detector") != path.stem or data.get("view") not in VIEWS:
        raise RulesError(f"{source}: 'detector' must be {path.stem!r}, 'view' one of {VIEWS}")
    fragments = {name: f"(?:{value})" for name, value in data.get("fragments", {}).items()}
    lists = {
        name: re2.compile(_compile(source, f"list {name!r}", value, fragments), _OPTIONS)
        for name, value in data.get("lists", {}).items()
    }
    if set(data.get("examples_context", {})) - {"audience", "author_role"}:
        raise RulesError(f"{source}: 'examples_context' takes only 'audience' and 'author_role'")
    if not isinstance(data.get("rules"), list) or not data["rules"]:
        raise RulesError(f"{source}: 'rules' must be a non-empty list")
    compiled = [_rule(source, raw, fragments) for raw in data["rules"]]
    ids = [rule.id for rule, _ in compiled]
    if len(set(ids)) != len(ids):
        raise RulesError(f"{source}: rule ids must be unique")
    prefilter = re2.Set.SearchSet(_OPTIONS)
    for _, pattern in compiled:
        prefilter.Add(pattern)
    prefilter.Compile()
    return Ruleset(
        detector=data["detector"],
        version=data["version"],
        view=data["view"],
        rules=tuple(rule for rule, _ in compiled),
        lists=lists,
        examples_context=dict(data.get("examples_context", {})),
        prefilter=prefilter,
        fragments=dict(data.get("fragments", {})),
    )


@cache
def ruleset(detector: str) -> Ruleset:
    """The detector's compiled rules, read once per process."""
    return load(RULES_DIR / f"{detector}.json")


def rule_files() -> list[Path]:
    return sorted(RULES_DIR.glob("*.json"))
