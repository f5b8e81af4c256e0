"""Confidential information (3.1, 3.2, 5.4): pupil records, special needs and family
circumstances tied to a person, things said in confidence, negotiations, commercially or
politically sensitive matters."""

from __future__ import annotations

import re

from socialguard.screening.base import Context, Detector, Finding
from socialguard.screening.normalise import NormalisedText

PERSON = r"\b(?:he|she|his|her|him|my\s+(?:son|daughter|child|pupil|student)|(?:this|that|a)\s+(?:boy|girl|child|pupil))\b"
SENSITIVE = [
    (
        "special_needs",
        r"\b(?:ehcp|education,? health and care plan|sen(?:d|co)?\b|special (?:educational )?needs|"
        r"(?:has|with|diagnosed with)\s+(?:autism|adhd|dyslexia|asd|learning difficult\w*))",
        "Special educational needs tied to a person.",
    ),
    (
        "family",
        r"\b(?:in care|looked[- ]after|foster (?:care|parents?)|social services|social worker|child protection plan|"
        r"custody|divorc\w+|domestic (?:abuse|violence)|free school meals|young carer|bereave\w+|in prison)\b",
        "Family circumstances tied to a person.",
    ),
    (
        "records",
        r"\b(?:attendance (?:record|figures)|exclusion|excluded|behaviour (?:log|record)|safeguarding (?:file|record)|"
        r"medical (?:record|condition)|reading age|test scores?|school report)\b",
        "A pupil or employee record.",
    ),
    (
        "in_confidence",
        r"\b(?:confidential|in confidence|off the record|don'?t tell anyone|between you and me|not for sharing)\b",
        "Information marked or given in confidence (3.2).",
    ),
    (
        "negotiation",
        r"\b(?:contract negotiations?|tender|bids? for|redundanc\w+|restructur\w+|pay (?:offer|settlement)|"
        r"budget cuts?|deficit|settlement agreement)\b",
        "Commercially sensitive or negotiating information (3.2).",
    ),
    (
        "political",
        r"\b(?:academi[sz]ation|industrial action|strike ballot|the council (?:plans|intends) to close)\b",
        "Politically sensitive information (3.2).",
    ),
]
_COMPILED = [
    (category, re.compile(pattern, re.IGNORECASE), why) for category, pattern, why in SENSITIVE
]
_PERSON = re.compile(PERSON, re.IGNORECASE)


class ConfidentialDetector(Detector):
    name = "confidential"
    clauses = ("3.1", "3.2", "5.4")

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        original = text.original
        found: list[Finding] = []
        for category, pattern, why in _COMPILED:
            for match in pattern.finditer(original):
                window = original[max(0, match.start() - 60) : match.end() + 60]
                personal = (
                    category in ("in_confidence", "negotiation", "political")
                    or _PERSON.search(window)
                    or any(p.first.lower() in window.lower() for p in context.roster.pupils)
                )
                if not personal:
                    continue  # "our SEN provision is outstanding" is about a service, not a person
                found.append(
                    self.finding(
                        category=f"confidential_{category}",
                        start=match.start(),
                        end=match.end(),
                        severity="medium",
                        score=0.7,
                        explanation=why,
                    )
                )
        return found
