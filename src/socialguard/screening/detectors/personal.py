"""Personal webspace pre-flight (audience 'personal'): a staff member checks a post before
publishing it on their own accounts. Naming the employer or its schools (6.1), school e-mail
addresses used for personal purposes (6.10), school logos or brand (6.12). Pupils and work
information (6.8) are found by the pupil and confidential detectors, which cite 6.8 here."""

from __future__ import annotations

import re
from functools import lru_cache

from socialguard.screening.base import Context, Detector, Finding
from socialguard.screening.normalise import NormalisedText

WORK = r"\b(?:i (?:work|teach) (?:at|for|in)|(?:teacher|ta|teaching assistant|head|governor|caretaker) at|my school|our school|my class|my pupils|my kids at school)\b"
BRAND = r"\b(?:school (?:logo|badge|crest|uniform|jumper|lanyard)|federation logo|council logo|in (?:my|our) uniform)\b"


@lru_cache(maxsize=32)
def _names(names: tuple[str, ...]) -> re.Pattern[str] | None:
    cleaned = {n.lower().strip() for n in names if n.strip()}
    for name in list(cleaned):  # "Stafford Junior School" is also written "Stafford Junior"
        cleaned.add(re.sub(r"\s+(?:school|academy|federation)$", "", name))
        cleaned.add(name.replace("&", "and"))
    if not cleaned:
        return None
    return re.compile(
        r"\b(?:"
        + "|".join(
            re.escape(n).replace(r"\ ", r"\s+") for n in sorted(cleaned, key=len, reverse=True)
        )
        + r")\b"
    )


class PersonalWebspaceDetector(Detector):
    name = "personal"
    clauses = ("6.1", "6.10", "6.12")
    audiences = ("personal",)

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        if context.audience != "personal":
            return []
        view = text.plain
        roster = context.roster
        found: list[Finding] = []

        def add(
            category: str, match: re.Match[str], clause: str, why: str, severity: str = "medium"
        ) -> None:
            start, end = view.span(match.start(), match.end())
            found.append(
                self.finding(
                    category=category,
                    start=start,
                    end=end,
                    clauses=(clause,),
                    severity=severity,
                    explanation=why,
                )
            )

        names = _names((roster.organisation, *roster.schools))
        if names is not None:
            for match in names.finditer(view.text):
                add(
                    "names_employer",
                    match,
                    "6.1",
                    "Names your employer or its schools: keep personal and professional separate.",
                )
        for match in re.finditer(WORK, view.text):
            add(
                "identifies_as_employee",
                match,
                "6.1",
                "Identifies you as working for the school.",
                "low",
            )
        for domain in roster.email_domains:
            for match in re.finditer(rf"[\w.+-]+@(?:[\w-]+\.)*{re.escape(domain)}\b", view.text):
                add(
                    "school_email",
                    match,
                    "6.10",
                    "A school e-mail address used for personal social media.",
                    "high",
                )
        for match in re.finditer(BRAND, view.text):
            add(
                "brand",
                match,
                "6.12",
                "School logos, uniform or brand must not appear on personal webspace (6.9, 6.12).",
            )
        return found
