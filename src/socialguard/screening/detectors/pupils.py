"""Pupils identified (A.5.2, 5.4, 6.8): pupils' names from the roster, with possessives, case and
accent variants and common nicknames. A full name is strong evidence; a first name with a class
or year nearby is medium; a first name alone is weak. Staff names are allowed on official sites
(A.4.8: staff must say who they are)."""

from __future__ import annotations

import re
from functools import lru_cache

from socialguard.screening.base import Context, Detector, Finding, Person
from socialguard.screening.normalise import NormalisedText, normalise

NICKNAMES = {
    "oliver": ("ollie", "olly"),
    "william": ("will", "billy", "liam"),
    "alexander": ("alex",),
    "alexandra": ("alex", "lexi"),
    "thomas": ("tom", "tommy"),
    "james": ("jamie", "jim"),
    "elizabeth": ("liz", "lizzie", "beth", "libby"),
    "katherine": ("kate", "katie"),
    "catherine": ("cat", "kate", "katie"),
    "isabella": ("bella", "izzy"),
    "isabelle": ("izzy",),
    "samuel": ("sam", "sammy"),
    "samantha": ("sam",),
    "daniel": ("dan", "danny"),
    "joseph": ("joe", "joey"),
    "matthew": ("matt",),
    "benjamin": ("ben", "benji"),
    "charlotte": ("lottie", "charlie"),
    "charles": ("charlie",),
    "margaret": ("maggie", "meg"),
    "jessica": ("jess",),
    "rebecca": ("becky", "becca"),
    "amelia": ("millie", "mia"),
    "jacob": ("jake",),
    "joshua": ("josh",),
    "nicholas": ("nick",),
    "christopher": ("chris",),
    "michael": ("mike", "mikey"),
    "robert": ("rob", "bob", "bobby"),
    "edward": ("ed", "eddie", "ted"),
    "harrison": ("harry",),
    "henry": ("harry",),
    "frederick": ("freddie", "fred"),
    "theodore": ("theo", "teddy"),
    "sophia": ("sophie",),
    "abigail": ("abbie", "abby"),
    "eleanor": ("ellie", "nell"),
    "gabriel": ("gabe",),
    "nathaniel": ("nate",),
}
YEAR_CONTEXT = (
    r"(?:year\s*[r1-6]|y[r1-6]\b|reception|class\s*\w+|\b[r1-6][a-z]\b|in\s+(?:my|our)\s+class)"
)


def _fold(value: str) -> str:
    return normalise(value).plain.text.strip()


@lru_cache(maxsize=64)
def _patterns(
    pupils: tuple[Person, ...], staff: tuple[Person, ...]
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, frozenset[str]]:
    staff_full = frozenset(f"{_fold(p.first)} {_fold(p.last)}" for p in staff)
    full, first = set(), set()
    for pupil in pupils:
        firsts = {_fold(pupil.first), *NICKNAMES.get(_fold(pupil.first), ())}
        last = _fold(pupil.last)
        for name in firsts:
            if last and f"{name} {last}" not in staff_full:
                full.add(f"{name} {last}")
            first.add(name)
    possessive = r"(?:'s|’s|s')?"

    def compile_(names: set[str]) -> re.Pattern[str] | None:
        if not names:
            return None
        alternation = "|".join(
            sorted((re.escape(n).replace(r"\ ", r"\s+") for n in names), key=len, reverse=True)
        )
        return re.compile(rf"\b(?:{alternation}){possessive}\b")

    return compile_(full), compile_(first), staff_full


class PupilNameDetector(Detector):
    name = "pupils"
    clauses = ("A.5.2", "5.4")

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        roster = context.roster
        if not roster.pupils:
            return []
        full, first, _ = _patterns(roster.pupils, roster.staff)
        clauses = ("6.8",) if context.audience == "personal" else self.clauses
        view = text.plain
        found: list[Finding] = []
        covered: list[tuple[int, int]] = []
        if full is not None:
            for match in full.finditer(view.text):
                start, end = view.span(match.start(), match.end())
                covered.append((match.start(), match.end()))
                found.append(
                    self.finding(
                        category="pupil_full_name",
                        start=start,
                        end=end,
                        severity="high",
                        score=0.95,
                        clauses=clauses,
                        explanation="A pupil's full name: pupils must not be identifiable.",
                    )
                )
        if first is not None:
            for match in first.finditer(view.text):
                if any(s <= match.start() < e for s, e in covered):
                    continue
                window = view.text[max(0, match.start() - 40) : match.end() + 40]
                near_year = re.search(YEAR_CONTEXT, window) is not None
                start, end = view.span(match.start(), match.end())
                found.append(
                    self.finding(
                        category="pupil_first_name",
                        start=start,
                        end=end,
                        clauses=clauses,
                        severity="medium" if near_year else "low",
                        score=0.7 if near_year else 0.4,
                        explanation="A pupil's first name with their class or year: together they identify the child."
                        if near_year
                        else "A pupil's first name: weaker evidence on its own, but check before publishing.",
                    )
                )
        return found
