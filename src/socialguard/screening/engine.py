"""The Screener: runs every detector on the normalised text, then alone merges duplicates,
decides the action and escalations, and masks personal data for moderators."""

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
from socialguard.screening.detectors.model import ClassifierDetector
from socialguard.screening.normalise import normalise
from socialguard.screening.registry import build_detectors

# Categories whose finding also sends the item to a person at once.
ESCALATIONS = {
    "extreme_offence": frozenset({"dsl"}),
    "threat": frozenset({"dsl"}),
    "media_enquiry": frozenset({"head_teacher"}),
}
MODEL_CATEGORIES = {"hate_model", "insult_model", "tone_model"}
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
    def __init__(self, detectors: Sequence[Detector]) -> None:
        self.detectors = list(detectors)

    @classmethod
    def default(cls) -> Screener:
        return _default()

    def screen(self, text: str, context: Context | None = None) -> Verdict:
        context = context or Context()
        normalised = normalise(text)
        findings = [f for d in self.detectors for f in d.detect(normalised, context)]
        return self._decide(text, _merge(findings))

    def screen_many(self, texts: Sequence[str], context: Context | None = None) -> list[Verdict]:
        """Like ``screen`` for each text; the classifier scores the whole batch in one go."""
        context = context or Context()
        normalised = [normalise(text) for text in texts]
        model = next((d for d in self.detectors if isinstance(d, ClassifierDetector)), None)
        others = [d for d in self.detectors if d is not model]
        scores = model.model.scores_many([n.folded.text for n in normalised]) if model else []
        verdicts = []
        for index, (text, norm) in enumerate(zip(texts, normalised, strict=True)):
            findings = [f for d in others for f in d.detect(norm, context)]
            if model is not None:
                findings += model.from_scores(scores[index], end=len(text))
            verdicts.append(self._decide(text, _merge(findings)))
        return verdicts

    @staticmethod
    def _decide(text: str, findings: list[Finding]) -> Verdict:
        escalate: set[str] = set()
        for finding in findings:
            escalate |= finding.escalate | ESCALATIONS.get(finding.category, frozenset())
        if any(f.blocks for f in findings):
            action: Action = "block"
        elif any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK["low"] for f in findings):
            action = "review"
        else:
            action = "allow"
        return Verdict(
            action=action,
            escalate=frozenset(escalate),
            findings=tuple(findings),
            redacted=_redact(text, findings),
        )


def _merge(findings: list[Finding]) -> list[Finding]:
    """One finding per category and span; the model speaks only where no rule already has."""
    ruled_clauses = {c for f in findings if f.category not in MODEL_CATEGORIES for c in f.clauses}
    reported = any(f.category == "abuse_reported" for f in findings)
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (-f.score, f.start)):
        if finding.category in MODEL_CATEGORIES and (
            reported or set(finding.clauses) & ruled_clauses
        ):
            continue
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
        if f.redact
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
    return Screener(build_detectors())
