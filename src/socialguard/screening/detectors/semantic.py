"""Meaning, not phrasing (A.2.3, A.5.6, 5.5, A.4.5): the semantic heads over the pretrained
encoder (``screening/semantic.py``), and the safeguarding lead's example sentences.

It is the engine's second look at a message, after the rules:
- the fast stage scores every message; the contextual stage reads pupils' and the public's
  contributions, anything the fast stage is unsure of (its gate), and anything a rule flagged in
  a category the heads understand, unless the fast stage already reads it as that category
  beyond doubt (its ``confirm`` threshold: a second look would not clear it);
- a head at or above its ``flag`` threshold is a finding, whatever the words were;
- a rule's safeguarding or abuse finding whose head reads far below every true example
  (``clear``) is kept for the record but no longer routes or blocks: "never share your address
  or send photos to strangers" is an e-safety lesson, not grooming;
- a message close in meaning to an example the DSL added is flagged as theirs;
- the hate head's reading of a message that names no one for who they are ("spiders are
  disgusting"), or that quotes, reports, rejects or denies hate, denies an insult of a group or
  honestly asks what people of a faith or culture do (the abuse rules' lists, ADR 0011), is kept
  for the record only: the encoder reads "saying X are vermin is wrong" much as it reads "X are
  vermin", and "clowns should be banned" much as "X should be banned".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from socialguard.screening.base import Context, Detector, Finding
from socialguard.screening.categories import category as registry_entry
from socialguard.screening.detectors.abuse import (
    counter_speech,
    honest_question,
    names_people,
    negated_hate,
)
from socialguard.screening.normalise import NormalisedText
from socialguard.screening.semantic import CONTEXT_DIMS, SemanticModel, semantic_text

HEAD_CATEGORY = {
    "hate": "extreme_offence",
    "threat": "threat",
    "harassment": "insult",
    "profanity": "tone",
    "sexual": "sexual_content",
    "self_harm": "self_harm",
    "abuse_disclosure": "disclosure_abuse",
    "bullying": "bullying",
    "grooming": "grooming",
    "radicalisation": "radicalisation",
}
# Rule categories whose finding the contextual stage may judge a false alarm. Slurs and the
# lead's own phrases are never second-guessed.
RULE_HEAD = {
    "threat": "threat",
    "insult": "harassment",
    "self_harm": "self_harm",
    "disclosure_abuse": "abuse_disclosure",
    "disclosure_neglect": "abuse_disclosure",
    "bullying": "bullying",
    "grooming_secrecy": "grooming",
    "grooming_images": "grooming",
    "grooming_flattery_gifts": "grooming",
    "grooming_private_channel": "grooming",
    "grooming_location": "grooming",
    "grooming_meeting": "grooming",
    "radicalisation": "radicalisation",
}
# Heads trained on children's own words and on approaches to children: a staff member's post
# (an e-safety lesson, a PSHE plan) is not a child's disclosure, so for staff only the rules
# speak for these; the other heads read everyone.
CHILDREN_HEADS = frozenset(
    {"self_harm", "abuse_disclosure", "bullying", "grooming", "radicalisation"}
)
CONTEXTUAL_ROLES = frozenset({"pupil", "member", "parent", "public", "family", "external"})
CLEARED = "context_cleared"


@dataclass(frozen=True)
class Assessment:
    findings: list[Finding]  # the semantic stage's own
    rules: list[Finding]  # the rules' findings after the contextual check
    stages: tuple[str, ...]


class SemanticDetector(Detector):
    name = "semantic"
    clauses = ("A.2.3", "A.5.6")

    def __init__(self, model: SemanticModel | None = None) -> None:
        self.model = model or SemanticModel.default()

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        return self.assess([text], [context], [[]])[0].findings

    def assess(
        self,
        texts: Sequence[NormalisedText],
        contexts: Sequence[Context],
        rule_findings: Sequence[list[Finding]],
    ) -> list[Assessment]:
        words = [semantic_text(t.plain.text) for t in texts]
        fast = self.model.fast_scores(words)
        wanted = [
            index
            for index, (ctx, rules) in enumerate(zip(contexts, rule_findings, strict=True))
            if ctx.author_role in CONTEXTUAL_ROLES
            or ctx.safeguarding_examples
            # For staff the children's heads do not speak (below), so they need not be asked.
            or self.model.gated(
                fast[index], skip=CHILDREN_HEADS if ctx.author_role == "staff" else frozenset()
            )
            or any(self._second_look(f, fast[index]) for f in rules)
        ]
        if not wanted:  # most staff posts: the rules and the fast stage have said it all
            return [Assessment([], list(rules), ("rules", "fast")) for rules in rule_findings]
        vectors = self.model.context_vectors([words[i] for i in wanted])
        scores = self.model.context_scores(vectors)
        row_of = {index: row for row, index in enumerate(wanted)}
        out = []
        for index, (ctx, rules) in enumerate(zip(contexts, rule_findings, strict=True)):
            if index not in row_of:
                out.append(Assessment([], list(rules), ("rules", "fast")))
                continue
            row = row_of[index]
            found = self._flags(scores[row], texts[index], staff=ctx.author_role == "staff")
            found += self._examples(vectors[row, :CONTEXT_DIMS], ctx)
            checked = [self._check(f, scores[row]) for f in rules]
            out.append(Assessment(found, checked, ("rules", "fast", "contextual")))
        return out

    def _second_look(self, finding: Finding, fast_row: np.ndarray) -> bool:
        """Whether a rule's finding needs the contextual stage to judge it a false alarm: only
        where a false alarm costs something (the category goes to the leads or blocks the post:
        "never send photos to strangers" is an e-safety lesson, not grooming; an insult is only
        held for a moderator, who reads it anyway), and not where the fast stage already reads
        it as its category with 99 % precision on the validation rows (``confirm``)."""
        head = RULE_HEAD.get(finding.category)
        entry = registry_entry(finding.category)
        if head is None or not (entry.routing or entry.blocks):
            return False
        score = float(fast_row[self.model.names.index(head)])
        return score < self.model.thresholds.confirm[head]

    def _flags(self, scores: np.ndarray, text: NormalisedText, *, staff: bool) -> list[Finding]:
        flag = self.model.thresholds.flag
        found = []
        for name, score in zip(self.model.names, scores.tolist(), strict=True):
            if score < flag[name] or (staff and name in CHILDREN_HEADS):
                continue
            entry = registry_entry(HEAD_CATEGORY[name])
            reading = f"The meaning reads as {entry.label.lower()}"
            why_not = self._not_hate(text) if name == "hate" else None
            found.append(
                self.finding(
                    category=CLEARED if why_not else entry.code,
                    start=0,
                    end=0,  # about the whole message: no span to highlight or mask
                    severity="info" if why_not else entry.severity,
                    score=score,
                    clauses=entry.clauses,
                    explanation=f"{reading} ({score:.0%}), but {why_not}; kept for the record only."
                    if why_not
                    else f"{reading} ({score:.0%} by the meaning model, whatever the words); "
                    "a person must check it.",
                )
            )
        return found

    @staticmethod
    def _not_hate(text: NormalisedText) -> str | None:
        """Why the hate head's reading does not stand, if it does not: the encoder reads the
        shape of a sentence ("X are disgusting") more than who X is or what is said of it."""
        if not names_people(text):
            return "the message names no one for who they are"
        if counter_speech(text):
            return "the message quotes, reports, rejects or denies it"
        if negated_hate(text):
            return "the message denies the insult or the hate"
        if honest_question(text):
            return "the message asks what people do, not what they are worth"
        return None

    def _examples(self, vector: np.ndarray, context: Context) -> list[Finding]:
        if not context.safeguarding_examples:
            return []
        examples = context.safeguarding_examples
        similarity = self.model.example_vectors(tuple(e.text for e in examples)) @ vector
        best = int(np.argmax(similarity))
        if similarity[best] < self.model.example_threshold:
            return []
        example = examples[best]
        entry = registry_entry(example.category)
        quoted = example.text if len(example.text) <= 80 else example.text[:77] + "..."
        return [
            self.finding(
                category="safeguarding_example" if entry.code == "unknown" else entry.code,
                start=0,
                end=0,
                severity="high",
                score=float(similarity[best]),
                clauses=("A.2.3",),
                explanation=f"Close to an example the safeguarding lead added: '{quoted}' "
                f"(similarity {similarity[best]:.2f}).",
            )
        ]

    def _check(self, finding: Finding, scores: np.ndarray) -> Finding:
        head = RULE_HEAD.get(finding.category)
        if head is None:
            return finding
        score = float(scores[self.model.names.index(head)])
        if score >= self.model.thresholds.clear[head]:
            return finding
        return replace(
            finding,
            category=CLEARED,
            severity="info",
            explanation=f"{finding.explanation} Read in context, this does not look like "
            f"{registry_entry(finding.category).label.lower()} ({score:.0%}); kept for the "
            "record only.",
        )
