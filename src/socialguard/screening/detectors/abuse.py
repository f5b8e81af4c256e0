"""Extreme offence and abuse, kept apart as the policy keeps them.

  A.5.6  hate against people for who they are, slurs (also disguised), threats of violence:
         blocked and escalated
  5.5    attacks, insults and harassment aimed at a person: held for review
  A.4.5  mere profanity or rudeness (tone): held for review
Reporting or quoting abuse, counter-speech, negation and harmless idioms ("the kids killed it
tonight") never cite A.5.6. The slur lexicon ships as hashes only (models/slur_hashes.json).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from socialguard.screening.base import Context, Detector, Finding
from socialguard.screening.normalise import NormalisedText

_MODELS = Path(__file__).resolve().parents[1] / "models"
_WORD = re.compile(r"[a-z]+")
GROUPS = (
    r"(?:muslims?|jews?|jewish people|blacks?|black people|gays?|gay people|lesbians?|immigrants?|"
    r"foreigners?|refugees?|asylum seekers?|pakistanis?|poles|polish people|gypsies|travellers|"
    r"trans people|disabled people|asians?|indians?|africans?|christians?|hindus?|sikhs?|women|girls)"
)
HATE = re.compile(
    rf"\b(?:(?:(?:all|those|these|the|bloody|dirty)\s+)?{GROUPS}\s+(?:are|should|must|need to|deserve to)\s+(?:\w+ and (?:should |must )?)?"
    r"(?:die|be (?:killed|shot|gassed|deported|wiped out)|go back|get out|vermin|animals|scum|disgusting|subhuman|"
    r"a disease|parasites)|(?:kill|gas|deport|hang|exterminate) (?:all|every|the) "
    rf"{GROUPS}|go back to (?:your|ur) (?:own )?country|{GROUPS} (?:aren'?t|are not) (?:human|people))"
)
THREAT = re.compile(
    r"\b(?:(?:i'?ll|i will|i'?m (?:gonna|going to)|im (?:gonna|going to)|gonna|we'?ll|we will|someone should)\s+"
    r"(?:kill|stab|shoot|hurt|batter|strangle|burn|smash|punch|knife|jump)\s+(?:you|u|him|her|them|ya|your|ur)\b|"
    r"(?:you'?re|you are|ur) (?:dead|gonna die|going to die)\b|watch (?:your|ur) back|i know where (?:you|u) live|"
    r"(?:shoot|bomb|blow) up (?:the|this|our) school|bring a (?:knife|gun) (?:to|into) school|"
    r"(?:go |just |should )?kill (?:yourself|urself|ur ?self|your ?self)|\bkys\b|hope (?:you|u) die)"
)
INSULT = re.compile(
    r"\b(?:(?:you'?re|you are|ur|u r|you|he'?s|she'?s|he is|she is|they'?re|they are) (?:such |a |an |so |a total |a complete |an absolute |really )*"
    r"(?:idiot|stupid|moron|loser|ugly|fat|dumb|pathetic|useless|thick|freak|weirdo|scum|cow|slag|slut|nonce|"
    r"disgrace|worthless|waste of space|retard\w*|twat|prick|dickhead|bitch)|shut (?:the )?(?:\S+ )?up|nobody likes you|"
    r"everyone hates you|go away and die|get lost)\b"
)
PROFANITY = re.compile(
    r"\b(?:f+u+c+k+\w*|\w*sh+i+t+\w*|crap|bollocks|bloody|damn|piss(?:ed)?|arse|ass(?:hole)?|bastard|bitch\w*|twat|"
    r"wanker|prick|dick(?:head)?|c+u+n+t+\w*|wtf|stfu|ffs)\b|\bf[*#]{2,}k?\w*|\bsh[*#]+t"
)
HARMLESS = re.compile(
    r"\b(?:kill(?:ed|ing)? it|killed the|kill(?:ing)? time|died laughing|dying to|to die for|kill for an?|"
    r"dead (?:tired|good|easy|excited)|murder (?:a|an) (?:pizza|coffee|curry|tea)|smash(?:ed|ing)? it|"
    r"smashed (?:the|their) (?:target|record)|shoot (?:hoops|a video|the breeze)|punch(?:ed)? (?:the air|above))\b"
)
REPORTING = re.compile(
    r"\b(?:called (?:me|him|her|them|us|my \w+)|was called|were called|get called|keep(?:s)? calling|said|says|"
    r"shouted|wrote|posted|reported|quote|report(?:ing)?|the word|(?:don'?t|do not|never|not ok(?:ay)? to|wrong to) "
    r"(?:say|call|use)|is a (?:slur|racist|homophobic|offensive) (?:word|term)|stand against|challenge|"
    r"we (?:do not|don'?t|will not|won'?t) tolerate|zero tolerance|anti[- ]?(?:racism|bullying))\b"
)
NEGATION = re.compile(r"\b(?:not|never|isn'?t|aren'?t|no one is|nobody is)\s+(?:\w+\s+){0,2}$")


@lru_cache(maxsize=1)
def _slur_hashes() -> frozenset[str]:
    return frozenset(json.loads((_MODELS / "slur_hashes.json").read_text(encoding="utf-8")))


@lru_cache(maxsize=65536)
def _is_slur(term: str) -> bool:
    """Words repeat across messages, so each is hashed once per process."""
    return hashlib.blake2b(term.encode(), digest_size=8).hexdigest() in _slur_hashes()


class AbuseDetector(Detector):
    name = "abuse"
    clauses = ("A.5.6", "5.5", "A.4.5")

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        view = text.folded
        lowered = view.text
        harmless = [m.span() for m in HARMLESS.finditer(lowered)]
        found: list[Finding] = []

        def reported(start: int) -> bool:
            return REPORTING.search(lowered[max(0, start - 60) : start]) is not None

        def add(kind: str, start: int, end: int, why: str) -> None:
            if any(s <= start < e for s, e in harmless):
                return
            o_start, o_end = view.span(start, end)
            if kind in ("slur", "hate", "threat") and reported(start):
                found.append(
                    self.finding(
                        category="abuse_reported",
                        start=o_start,
                        end=o_end,
                        clauses=("A.4.5",),
                        severity="medium",
                        score=0.6,
                        redact=True,
                        explanation="Abusive words quoted or reported, not aimed at anyone: check "
                        "the context (if a child is reporting abuse, this is a safeguarding matter).",
                    )
                )
                return
            spec = {
                "slur": ("extreme_offence", ("A.5.6",), "critical", 0.95, True),
                "hate": ("extreme_offence", ("A.5.6",), "critical", 0.9, True),
                "threat": ("threat", ("A.5.6",), "critical", 0.9, True),
                "insult": ("insult", ("5.5",), "medium", 0.75, False),
                "profanity": ("tone", ("A.4.5",), "low", 0.6, False),
            }[kind]
            category, clauses, severity, score, blocks = spec
            found.append(
                self.finding(
                    category=category,
                    start=o_start,
                    end=o_end,
                    clauses=clauses,
                    severity=severity,
                    score=score,
                    blocks=blocks,
                    redact=blocks,
                    explanation=why,
                )
            )

        self._slurs(lowered, add)
        for match in HATE.finditer(lowered):
            add("hate", match.start(), match.end(), "Hate against people for who they are (A.5.6).")
        for match in THREAT.finditer(lowered):
            add("threat", match.start(), match.end(), "A threat of violence (A.5.6).")
        for match in INSULT.finditer(lowered):
            if (
                not NEGATION.search(lowered[max(0, match.start() - 25) : match.start()])
                and " not " not in match.group()
            ):
                add(
                    "insult",
                    match.start(),
                    match.end(),
                    "An insult or attack aimed at a person (5.5).",
                )
        for match in PROFANITY.finditer(lowered):
            add(
                "profanity",
                match.start(),
                match.end(),
                "Profanity: mind the tone on official sites (A.4.5).",
            )
        return found

    @staticmethod
    def _slurs(lowered: str, add) -> None:
        words = list(_WORD.finditer(lowered))
        for index, match in enumerate(words):
            candidates = [(match.group(), match.end())]
            if index + 1 < len(words):
                candidates.append(
                    (f"{match.group()} {words[index + 1].group()}", words[index + 1].end())
                )
            stripped = re.sub(
                r"(.)\1+", r"\1", match.group()
            )  # "faaggot" and "fagot" fold together
            candidates.append((stripped, match.end()))
            for term, end in candidates:
                if _is_slur(term):
                    add("slur", match.start(), end, "A slur: extreme offence (A.5.6).")
                    break
