"""Confidential information (3.1, 3.2, 5.4): pupil records, special needs and family
circumstances tied to a person, things said in confidence, negotiations, commercially or
politically sensitive matters. The phrases live in ``rules/confidential.json``; a rule marked
``about_a_person`` counts only where a person (or a pupil on the roster) is named near it."""

from __future__ import annotations

from socialguard.screening.base import Context, Detector, Finding
from socialguard.screening.normalise import NormalisedText
from socialguard.screening.rules import Ruleset, ruleset


class ConfidentialDetector(Detector):
    name = "confidential"
    clauses = ("3.1", "3.2", "5.4")

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        rules = ruleset(self.name)
        original = text.original
        found: list[Finding] = []
        for rule in rules.matching(original):
            for start, end in rule.spans(original):
                window = original[max(0, start - 60) : end + 60]
                if "about_a_person" in rule.conditions and not _personal(rules, window, context):
                    continue  # "our SEN provision is outstanding" is about a service, not a person
                found.append(rule.finding(self, start=start, end=end))
        return found


def _personal(rules: Ruleset, window: str, context: Context) -> bool:
    lowered = window.lower()
    return rules.search("person", window) or any(
        p.first.lower() in lowered for p in context.roster.pupils
    )
