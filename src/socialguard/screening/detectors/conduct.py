"""Official-site conduct: personal opinions (A.4.10), political views presented as the school's
(5.3), commitments on the school's behalf (A.4.2) and media enquiries (A.3.7, to the head)."""

from __future__ import annotations

import re

from socialguard.screening.base import Context, Detector, Finding
from socialguard.screening.normalise import NormalisedText

PARTIES = r"(?:labour|conservatives?|tor(?:y|ies)|lib ?dems?|liberal democrats?|reform(?: uk)?|greens?|snp|plaid|ukip|brexit)"
RULES = [
    (
        "personal_opinion",
        ("A.4.10",),
        "low",
        r"\b(?:i think|i believe|in my (?:personal )?(?:opinion|view)|personally,? i|imo|imho|i reckon)\b",
        frozenset(),
        "A personal opinion: official sites carry the school's voice, not personal views.",
    ),
    (
        "political",
        ("5.3",),
        "high",
        rf"\b(?:(?:we|the school|the federation|our school) (?:support|supports|oppose|opposes|back|backs|endorse|endorses)\s+(?:the )?{PARTIES}|"
        rf"vote (?:for )?{PARTIES}|{PARTIES} (?:are|is) (?:ruining|destroying|the only|right|wrong))",
        frozenset(),
        "A political view presented as the school's.",
    ),
    (
        "commitment",
        ("A.4.2",),
        "medium",
        r"\b(?:we|the school|the federation|i) (?:will|promise to|guarantee to|can guarantee|promise) (?:refund|pay|give (?:every|all|you)|"
        r"provide free|waive|reimburse|compensate|guarantee)|\bwe guarantee\b|\bi promise (?:you|that)\b",
        frozenset(),
        "A commitment made on the school's behalf: needs authorisation.",
    ),
    (
        "media_enquiry",
        ("A.3.7",),
        "high",
        r"\b(?:journalist|reporter|press enquiry|media enquiry|from the (?:argus|bbc|itv|sky news|guardian|times|telegraph|mail|mirror|sun|"
        r"local paper|newspaper|press)|for (?:an?|our) (?:article|story|news piece|feature)|(?:a |any )?comment for (?:the|our) (?:paper|story|article))\b",
        frozenset({"head_teacher"}),
        "A media enquiry: forward it to the head teacher at once and do not reply yourself.",
    ),
]
_COMPILED = [(c, cl, s, re.compile(p), e, why) for c, cl, s, p, e, why in RULES]


class ConductDetector(Detector):
    name = "conduct"
    clauses = ("A.4.10", "5.3", "A.4.2", "A.3.7")
    audiences = ("official_site", "third_party_official")

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        if context.audience not in self.audiences:
            return []
        view = text.plain
        found: list[Finding] = []
        for category, clauses, severity, pattern, escalate, why in _COMPILED:
            if category == "personal_opinion" and context.author_role != "staff":
                continue  # A.4.10 binds staff speaking for the school, not parents commenting
            for match in pattern.finditer(view.text):
                start, end = view.span(match.start(), match.end())
                found.append(
                    self.finding(
                        category=category,
                        start=start,
                        end=end,
                        clauses=clauses,
                        severity=severity,
                        score=0.7,
                        escalate=escalate,
                        explanation=why,
                    )
                )
        return found
