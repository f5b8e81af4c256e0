"""House Rules watched words (A.4.1, A.5.7): a school's own list, Discourse-style, with the
actions block, review and censor. Compiled with RE2 (linear time, no backtracking), so a
school's list can neither make screening slow nor crash it; a bad pattern is skipped."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2

from socialguard.screening.base import Context, Detector, Finding, HouseRule
from socialguard.screening.normalise import NormalisedText

_OPTIONS = re2.Options()
_OPTIONS.max_mem = 8 << 20  # a pathological list fails to compile rather than eat memory
_OPTIONS.case_sensitive = False
_OPTIONS.log_errors = False


def _pattern(rule: HouseRule) -> str:
    if rule.regex:
        return rule.pattern
    escaped = re2.escape(rule.pattern.strip().lower())
    return r"\b" + escaped.replace(r"\*", r"\w*") + r"\b"  # 'bore*' watches 'bored', 'boring'


@lru_cache(maxsize=256)
def compile_rules(rules: tuple[HouseRule, ...]) -> list[tuple[HouseRule, Any]]:
    compiled = []
    for rule in rules:
        try:
            compiled.append((rule, re2.compile(_pattern(rule), _OPTIONS)))
        except Exception:  # noqa: S112 - re2.error and friends: a bad school pattern is skipped
            continue
    return compiled


class HouseRulesDetector(Detector):
    name = "house_rules"
    clauses = ("A.4.1",)

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        if not context.house_rules:
            return []
        view = text.folded
        found: list[Finding] = []
        for rule, pattern in compile_rules(tuple(context.house_rules)):
            for match in pattern.finditer(view.text):
                start, end = view.span(match.start(), match.end())
                found.append(
                    self.finding(
                        category=f"house_rule_{rule.action}",
                        start=start,
                        end=end,
                        severity="high" if rule.action == "block" else "low",
                        score=1.0,
                        explanation=f"Watched word in the site's House Rules{' (' + rule.rule_id + ')' if rule.rule_id else ''}: {rule.action}.",
                    )
                )
        return found
