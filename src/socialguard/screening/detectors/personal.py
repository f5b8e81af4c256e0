"""Personal webspace pre-flight (audience 'personal'): a staff member checks a post before
publishing it on their own accounts. Naming the employer or its schools (6.1), school e-mail
addresses used for personal purposes (6.10), school logos or brand (6.12). Pupils and work
information (6.8) are found by the pupil and confidential detectors, which cite 6.8 here. The
phrases live in ``rules/personal.json``; the employer's names and e-mail domains come from the
roster."""

from __future__ import annotations

import re
from functools import lru_cache

from socialguard.screening.base import Context, Detector, Finding
from socialguard.screening.normalise import NormalisedText
from socialguard.screening.rules import ruleset


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
        for domain in roster.email_domains:
            for match in re.finditer(rf"[\w.+-]+@(?:[\w-]+\.)*{re.escape(domain)}\b", view.text):
                add(
                    "school_email",
                    match,
                    "6.10",
                    "A school e-mail address used for personal social media.",
                    "high",
                )
        for rule in ruleset(self.name).matching(view.text):
            for match_start, match_end in rule.spans(view.text):
                start, end = view.span(match_start, match_end)
                found.append(rule.finding(self, start=start, end=end))
        return found
