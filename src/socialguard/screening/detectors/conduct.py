"""Official-site conduct: personal opinions (A.4.10), political views presented as the school's
(5.3), commitments on the school's behalf (A.4.2) and media enquiries (A.3.7). The phrases live
in ``rules/conduct.json``; that a media enquiry goes to the head teacher is the category
registry's to say."""

from __future__ import annotations

from socialguard.screening.base import Context, Detector, Finding
from socialguard.screening.normalise import NormalisedText
from socialguard.screening.rules import ruleset


class ConductDetector(Detector):
    name = "conduct"
    clauses = ("A.4.10", "5.3", "A.4.2", "A.3.7")
    audiences = ("official_site", "third_party_official")

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        if context.audience not in self.audiences:
            return []
        view = text.plain
        found: list[Finding] = []
        for rule in ruleset(self.name).matching(view.text):
            if "staff_author" in rule.conditions and context.author_role != "staff":
                continue  # A.4.10 binds staff speaking for the school, not parents commenting
            for match_start, match_end in rule.spans(view.text):
                start, end = view.span(match_start, match_end)
                found.append(rule.finding(self, start=start, end=end))
        return found
