"""The Screener: runs every rule detector on the normalised text, then the semantic stage, and
alone merges duplicates, decides the action and reads routing from the category registry
(``categories.py``), and masks personal data for moderators."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from socialguard.screening.base import (
    SEVERITY_RANK,
    Action,
    Context,
    Detector,
    Finding,
    Verdict,
)
from socialguard.screening.categories import category as registry_entry
from socialguard.screening.categories import routing_for
from socialguard.screening.detectors.semantic import SemanticDetector
from socialguard.screening.normalise import normalise
from socialguard.screening.registry import build_detectors

REDACTION_LABELS = {
    "phone": "[phone]",
    "email": "[email]",
    "postcode": "[postcode]",
    "address": "[address]",
    "date_of_birth": "[date of birth]",
    "nhs_number": "[NHS number]",
    "ni_number": "[NI number]",
    "upn": "[UPN]",
    "social_handle": "[handle]",
    "pupil_full_name": "[pupil]",
    "pupil_first_name": "[pupil]",
}


class Screener:
    def __init__(
        self, detectors: Sequence[Detector], semantic: SemanticDetector | None = None
    ) -> None:
        self.detectors = list(detectors)
        self.semantic = semantic

    @classmethod
    def default(cls) -> Screener:
        return _default()

    def screen(self, text: str, context: Context | None = None) -> Verdict:
        return self.screen_each([text], [context or Context()])[0]

    def screen_many(self, texts: Sequence[str], context: Context | None = None) -> list[Verdict]:
        """Like ``screen`` for each text; the semantic stage embeds the whole batch at once."""
        context = context or Context()
        return self.screen_each(texts, [context] * len(texts))

    def screen_each(self, texts: Sequence[str], contexts: Sequence[Context]) -> list[Verdict]:
        normalised = [normalise(text) for text in texts]
        rules = [
            [f for d in self.detectors for f in d.detect(norm, ctx)]
            for norm, ctx in zip(normalised, contexts, strict=True)
        ]
        if self.semantic is None:
            return [
                self._decide(t, _merge(r), ("rules",)) for t, r in zip(texts, rules, strict=True)
            ]
        assessments = self.semantic.assess(normalised, contexts, rules)
        return [
            self._decide(text, _merge(a.rules + a.findings), a.stages)
            for text, a in zip(texts, assessments, strict=True)
        ]

    @staticmethod
    def _decide(text: str, findings: list[Finding], stages: tuple[str, ...]) -> Verdict:
        # Routing is the registry's alone: a category routes wherever it is found.
        escalate = routing_for([f.category for f in findings])
        # A block needs a rule's evidence (a slur, a House Rule, an image request): the meaning
        # model alone holds for a person to check, as a blocked post is never seen by members.
        if any(registry_entry(f.category).blocks and f.detector != "semantic" for f in findings):
            action: Action = "block"
        elif any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK["low"] for f in findings):
            action = "review"
        else:
            action = "allow"
        return Verdict(
            action=action,
            escalate=escalate,
            findings=tuple(findings),
            redacted=_redact(text, findings),
            stages=stages,
        )


def _merge(findings: list[Finding]) -> list[Finding]:
    """One finding per category and span: a rule's (it has the span and the evidence) before the
    meaning model's, then the most confident."""
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.detector == "semantic", -f.score, f.start)):
        if finding.start == finding.end and any(k.category == finding.category for k in kept):
            continue  # the meaning model agrees with a rule that already has the span
        if any(
            k.category == finding.category and k.start < finding.end and finding.start < k.end
            for k in kept
        ):
            continue
        kept.append(finding)
    return sorted(kept, key=lambda f: (f.start, -SEVERITY_RANK[f.severity]))


def _redact(text: str, findings: list[Finding]) -> str:
    spans = sorted(
        (f.start, f.end, REDACTION_LABELS.get(f.category, "[removed]"))
        for f in findings
        if f.redact and f.start < f.end
    )
    out, cursor = [], 0
    for start, end, label in spans:
        if start < cursor:
            continue
        out.append(text[cursor:start])
        out.append(label)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


@lru_cache(maxsize=1)
def _default() -> Screener:
    from socialguard.screening.semantic import SemanticModel

    semantic = SemanticDetector() if SemanticModel.available() else None
    return Screener(build_detectors(), semantic)
