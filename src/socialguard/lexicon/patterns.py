"""Checking a pattern before it is saved, with the engine's own compiler (RE2, linear time): a
pattern the engine would skip, or one that would match every message, is refused in plain
words instead of failing quietly later."""

from __future__ import annotations

from socialguard.core.errors import ApplicationError
from socialguard.screening.base import HouseRule
from socialguard.screening.detectors.house_rules import compile_rules

MAX_PATTERN = 200


def pattern_clean(*, pattern: str, regex: bool) -> str:
    """The pattern as it will be stored, or ApplicationError saying what to change."""
    pattern = " ".join(pattern.split()) if not regex else pattern.strip()
    if not pattern:
        raise ApplicationError("Type the word or phrase to watch for.")
    if len(pattern) > MAX_PATTERN:
        raise ApplicationError(f"Keep it under {MAX_PATTERN} characters.")
    if not regex and sum(ch.isalnum() for ch in pattern) < 2:
        raise ApplicationError("A word or phrase needs at least two letters or numbers.")
    compiled = compile_rules((HouseRule(pattern=pattern, regex=regex),))
    if not compiled:
        raise ApplicationError(
            "The screening engine cannot read this regular expression (RE2 does not support it, "
            "or a bracket is missing). Check it, or choose 'Words' and type the phrase plainly."
        )
    matcher = compiled[0][1]
    if matcher.search("") is not None or matcher.search(" ") is not None:
        raise ApplicationError("This pattern would match every message. Make it more specific.")
    return pattern
