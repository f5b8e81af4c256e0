"""The trained classifier's view (see ``screening/classifier.py``): catches hate and abuse the
hand-written patterns miss. It never blocks on its own; it holds for review and says why."""

from __future__ import annotations

from socialguard.screening.base import Context, Detector, Finding
from socialguard.screening.normalise import NormalisedText

HATE_THRESHOLD = 0.93
OFFENSIVE_THRESHOLD = 0.9
TARGETED_THRESHOLD = 0.9


class ClassifierDetector(Detector):
    name = "classifier"
    clauses = ("A.5.6", "5.5", "A.4.5")

    def __init__(self) -> None:
        from socialguard.screening.classifier import TextClassifier

        self.model = TextClassifier.default()

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        return self.from_scores(self.model.scores(text.folded.text), end=len(text.original))

    def from_scores(self, scores: dict[str, float], *, end: int) -> list[Finding]:
        """The decision on scores computed elsewhere (the engine scores a batch at once)."""
        if scores["hate"] >= HATE_THRESHOLD:
            return [
                self.finding(
                    category="hate_model",
                    start=0,
                    end=end,
                    clauses=("A.5.6",),
                    severity="high",
                    score=scores["hate"],
                    explanation=f"The classifier rates this as likely hate speech "
                    f"({scores['hate']:.0%}); a moderator must confirm.",
                )
            ]
        if scores["targeted"] >= TARGETED_THRESHOLD and scores["offensive"] >= OFFENSIVE_THRESHOLD:
            return [
                self.finding(
                    category="insult_model",
                    start=0,
                    end=end,
                    clauses=("5.5",),
                    severity="medium",
                    score=scores["targeted"],
                    explanation="The classifier rates this as an insult aimed at "
                    f"someone ({scores['targeted']:.0%}).",
                )
            ]
        if scores["offensive"] >= OFFENSIVE_THRESHOLD:
            return [
                self.finding(
                    category="tone_model",
                    start=0,
                    end=end,
                    clauses=("A.4.5",),
                    severity="low",
                    score=scores["offensive"],
                    explanation="The classifier rates the language as offensive "
                    f"({scores['offensive']:.0%}).",
                )
            ]
        return []
