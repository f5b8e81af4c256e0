"""Extreme offence and abuse, kept apart as the policy keeps them.

  A.5.6  hate against people for who they are, slurs (also disguised), threats of violence
  5.5    attacks, insults and harassment aimed at a person
  A.4.5  mere profanity or rudeness (tone)
The phrases live in ``rules/abuse.json``; what each category does (block, route) is the category
registry's. Reporting or quoting abuse, counter-speech, negation and harmless idioms ("the kids
killed it tonight") never cite A.5.6. The slur lexicon ships as hashes only
(models/slur_hashes.json), so it stays in code; where one of its words is also an ordinary word
("pros and cons", "homo sapiens", the river Niger), the rules file says in which words
(``ordinary_words``).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from socialguard.screening.base import Context, Detector, Finding
from socialguard.screening.normalise import NormalisedText
from socialguard.screening.rules import Rule, ruleset

_MODELS = Path(__file__).resolve().parents[1] / "models"
_WORD = re.compile(r"[a-z]+")
_REPEATS = re.compile(r"(.)\1+")  # "faaggot" and "fagot" fold together (a back-reference: not RE2)


@lru_cache(maxsize=1)
def _slur_hashes() -> frozenset[str]:
    return frozenset(json.loads((_MODELS / "slur_hashes.json").read_text(encoding="utf-8")))


@lru_cache(maxsize=65536)
def _is_slur(term: str) -> bool:
    """Words repeat across messages, so each is hashed once per process."""
    return _hash(term) in _slur_hashes()


@lru_cache(maxsize=65536)
def _is_squeezed_slur(word: str) -> bool:
    """The word with its doubled letters made single ("faaggot", "fagot")."""
    return _is_slur(_REPEATS.sub(r"\1", word))


@lru_cache(maxsize=65536)
def _is_slur_either_way(word: str) -> bool:
    return _is_slur(word) or _is_squeezed_slur(word)


# The in-group forms of a racial slur (ending in -a, and their squeezed spellings), as hashes:
# reclaimed in African American English and, in the Davidson et al. tweets, mostly offensive
# language rather than hate (Sap et al. 2019, "The Risk of Racial Bias in Hate Speech Detection":
# classifiers that read them as hate flag Black authors' posts far more often). They are held for
# a moderator as offensive language (A.4.5), not blocked as hate; the meaning model still reads
# the message for hate, harassment and threats.
RECLAIMED = frozenset(
    {"2a4424e5b1d5e2ab", "af1937318636a8ea", "da9fff06a1c4ad65", "99e143a3f77ad192"}
)


def _hash(term: str) -> str:
    return hashlib.blake2b(term.encode(), digest_size=8).hexdigest()


def _reclaimed(word: str) -> bool:
    return _hash(word) in RECLAIMED or _hash(_REPEATS.sub(r"\1", word)) in RECLAIMED


def _slurs(lowered: str) -> list[tuple[int, int]]:
    """A word, the word and the next, or the word with doubled letters single, in that order."""
    plain = _WORD.findall(lowered)
    # Nearly every message holds no slur: one pass over its words and pairs of words says so
    # (remembered per word or pair) before any span is worked out.
    if not any(map(_is_slur_either_way, plain)) and not any(
        map(_is_slur, map(" ".join, pairwise(plain)))
    ):
        return []
    words = list(_WORD.finditer(lowered))
    spans = []
    for index, match in enumerate(words):
        word = match.group()
        if _is_slur(word):
            spans.append(match.span())
        elif index + 1 < len(words) and _is_slur(f"{word} {words[index + 1].group()}"):
            spans.append((match.start(), words[index + 1].end()))
        elif _is_squeezed_slur(word):
            spans.append(match.span())
    return spans


def counter_speech(text: NormalisedText) -> bool:
    """Whether the message quotes, reports, rejects or denies hate ("saying X are ... is wrong",
    "someone wrote ... and got excluded", "it's a myth that ..."): the abuse rules' lists
    ``counter_speech`` and ``counter_speech_unless`` ("I'm not racist but ..." never is), read on
    the plain text, where quotation marks survive. The encoder reads such a message much as it
    reads the hate inside it, so the structure is the rules' to say."""
    return _framed(text, "counter_speech")


def negated_hate(text: NormalisedText) -> bool:
    """Whether the message denies a derogatory word of people ("X are not disgusting"), disowns
    a belief ("I don't think X are dirty") or says no hate is felt ("I don't hate X"): the
    abuse rules' list ``negated_hate``, unless ``counter_speech_unless`` ("... but they should
    leave"). Only derogatory words are denied here: "X are not welcome" and "X are not human"
    deny nothing hateful and stay as the meaning model reads them."""
    return _framed(text, "negated_hate")


def honest_question(text: NormalisedText) -> bool:
    """Whether the message is a question about what people of a faith, culture or group do
    ("why do sikhs wear turbans?", "what is it like being deaf?"), with no derogatory word in
    it: the abuse rules' list ``honest_question``. "Why are X so lazy?" and "why do X get free
    houses?" ask about no practice, and stay as the meaning model reads them."""
    return _framed(text, "honest_question") and not ruleset("abuse").search(
        "derogatory", text.plain.text
    )


def _framed(text: NormalisedText, frame: str) -> bool:
    """Whether the abuse rules' list ``frame`` matches the plain text (where quotation marks
    survive) and ``counter_speech_unless`` (fake balance: "I'm not racist but", "if it's true",
    "free speech") does not."""
    plain = text.plain.text
    rules = ruleset("abuse")
    return rules.search(frame, plain) and not rules.search("counter_speech_unless", plain)


def names_people(text: NormalisedText) -> bool:
    """Whether the message names people for who they are (a religion, race, colour, nationality,
    immigration status, sexual orientation, gender identity, sex, disability or age: the abuse
    rules' list ``identity``) or refers to a group ("they", "those people", "go back where you
    came from": ``group_reference``). Hate (A.5.6) is against people for who they are: without
    either, "spiders are disgusting" or "clowns should be banned" is not hate, whatever the
    meaning model reads into its shape."""
    rules = ruleset("abuse")
    views = (text.plain.text, text.folded.text)  # folded: leet undone ("j3ws")
    if any(rules.search(name, v) for name in ("identity", "group_reference") for v in views):
        return True
    near = _near_identity()
    return any(
        len(word) >= NEAR_MIN and _one_off(word, near)
        for view in views
        for word in _WORD.findall(view)
    )


NEAR_MIN = 5  # letters a word needs before a misspelling of it counts
_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1)
def _near_identity() -> frozenset[str]:
    """The identity words and every form of them with one letter left out."""
    words = ruleset("abuse").fragments["IDENTITY_WORDS"].split("|")
    return frozenset(
        w for word in words if len(word) >= NEAR_MIN for w in (word, *_deletions(word))
    )


def _deletions(word: str) -> tuple[str, ...]:
    return tuple(word[:i] + word[i + 1 :] for i in range(len(word)))


def _one_off(word: str, near: frozenset[str]) -> bool:
    """Whether ``word`` is an identity word or one letter off one (left out, added, changed or
    two swapped, by shared one-letter deletions): a true word's deletions also pass, so short
    ordinary words are kept out by ``NEAR_MIN``."""
    return word in near or any(w in near for w in _deletions(word))


class AbuseDetector(Detector):
    name = "abuse"
    clauses = ("A.5.6", "5.5", "A.4.5")

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        rules = ruleset(self.name)
        view = text.folded
        lowered = view.text
        hits: list[tuple[Rule | None, int, int]] = [(None, s, e) for s, e in _slurs(lowered)]
        for matching in rules.matching(lowered):
            hits.extend((matching, s, e) for s, e in matching.spans(lowered))
        if not hits:
            return []
        harmless = rules.spans("harmless", lowered)
        ordinary = (
            rules.spans("ordinary_words", lowered) if any(r is None for r, _, _ in hits) else []
        )
        # A whole message of counter-speech quotes a hateful phrase: a hate rule's match in it
        # is reported; a slur is judged by its own window only ("hating them is wrong, you
        # <slur>"), and a threat is never cleared by the framing. Asked once, and only if needed.
        countered = any(
            r is not None and r.category == "extreme_offence" for r, _, _ in hits
        ) and counter_speech(text)
        found: list[Finding] = []
        for rule, start, end in hits:
            if any(s <= start < e for s, e in harmless):
                continue
            if rule is None and any(s <= start and end <= e for s, e in ordinary):
                continue  # a word of the lexicon used as an ordinary word ("pros and cons")
            if (
                rule is not None
                and "not_negated" in rule.conditions
                and (
                    rules.search("negation", lowered[max(0, start - 25) : start])
                    or " not " in lowered[start:end]
                )
            ):
                continue
            o_start, o_end = view.span(start, end)
            reportable = rule is None or "not_reported" in rule.conditions
            if reportable and (
                rules.search("reporting", lowered[max(0, start - 60) : start])
                or (rule is not None and rule.category == "extreme_offence" and countered)
            ):
                found.append(self._reported(o_start, o_end))
            elif rule is None:
                found.append(self._slur(o_start, o_end, reclaimed=_reclaimed(lowered[start:end])))
            else:
                found.append(rule.finding(self, start=o_start, end=o_end))
        return found

    def _slur(self, start: int, end: int, *, reclaimed: bool) -> Finding:
        if reclaimed:
            return self.finding(
                category="tone",
                start=start,
                end=end,
                clauses=("A.4.5",),
                severity="medium",
                explanation="A reclaimed form of a racial slur: offensive language for a "
                "moderator to read (A.4.5); hate (A.5.6) only if it is aimed at someone.",
            )
        return self.finding(
            category="extreme_offence",
            start=start,
            end=end,
            clauses=("A.5.6",),
            severity="critical",
            score=0.95,
            explanation="A slur: extreme offence (A.5.6).",
        )

    def _reported(self, start: int, end: int) -> Finding:
        return self.finding(
            category="abuse_reported",
            start=start,
            end=end,
            clauses=("A.4.5",),
            severity="medium",
            score=0.6,
            explanation="Abusive words quoted or reported, not aimed at anyone: check the context "
            "(if a child is reporting abuse, this is a safeguarding matter).",
        )
