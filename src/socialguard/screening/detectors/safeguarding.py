"""Safeguarding (A.2.2, A.2.3): disclosures of abuse or neglect, self-harm and suicidal intent,
bullying, grooming patterns and radicalisation. The phrases live in ``rules/safeguarding.json``
(written in the words children and groomers actually use, each rule with examples that must and
must not match); where a finding goes (the leads, and Police / CEOP for grooming towards images
or meeting) is the category registry's to say. A match inside a near-miss ("secret santa",
"The Secret Garden", "I nearly died laughing") is dropped."""

from __future__ import annotations

from socialguard.screening.base import Context, Detector, Finding
from socialguard.screening.normalise import NormalisedText
from socialguard.screening.rules import ruleset


class SafeguardingDetector(Detector):
    name = "safeguarding"
    clauses = ("A.2.2", "A.2.3")

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        rules = ruleset(self.name)
        view = text.folded
        lowered = view.text
        matching = rules.matching(lowered)
        if not matching:
            return []
        near = rules.spans("near_miss", lowered)
        found: list[Finding] = []
        for rule in matching:
            for match_start, match_end in rule.spans(lowered):
                if any(s < match_end and match_start < e for s, e in near):
                    continue
                start, end = view.span(match_start, match_end)
                found.append(rule.finding(self, start=start, end=end))
        return found
