"""The safeguarding lead's phrase library (A.2.3): the organisation's own words for harm (local
slang, code words, a phrase a known groomer used). It reaches the engine through the context, so
a school extends screening without a release; every match goes to the leads. Compiled with RE2
like the House Rules, so a bad or pathological phrase is skipped, never slow."""

from __future__ import annotations

from socialguard.screening.base import Context, Detector, Finding
from socialguard.screening.detectors.house_rules import compile_rules
from socialguard.screening.normalise import NormalisedText


class SafeguardingPhraseDetector(Detector):
    name = "phrases"
    clauses = ("A.2.3",)

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        if not context.safeguarding_phrases:
            return []
        found: list[Finding] = []
        for view in (text.plain, text.folded):
            for rule, pattern in compile_rules(tuple(context.safeguarding_phrases)):
                for match in pattern.finditer(view.text):
                    start, end = view.span(match.start(), match.end())
                    found.append(
                        self.finding(
                            category="safeguarding_phrase",
                            start=start,
                            end=end,
                            severity="high",
                            score=1.0,
                            explanation="A phrase on the safeguarding lead's watch list: "
                            f"'{rule.pattern}'.",
                        )
                    )
        return found
