"""The category registry: the one place that says, for every kind of finding, what it is called in
a teacher's words, which clauses ask for it, how severe it is, whom it goes to at once and whether
it keeps the content off the site.

Detectors say *what* they saw (a category and a span); the engine reads *what follows* from here.
The queue, the leads' pages and the audit trail show ``label``, never the code. Pure Python.

Routing targets:
  ``dsl``           the designated safeguarding lead and deputies, at once (A.2.3)
  ``police_ceop``   flagged for a referral to the Police / CEOP (A.5.6: illegal content)
  ``head_teacher``  the head teacher (A.3.7 media enquiries)
"""

from __future__ import annotations

from dataclasses import dataclass

from socialguard.screening.base import SEVERITY_RANK, Severity

ROUTES = ("dsl", "police_ceop", "head_teacher")
ROUTE_LABELS = {
    "dsl": "the designated safeguarding lead",
    "police_ceop": "a referral to the Police or CEOP",
    "head_teacher": "the head teacher",
}


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    label: str
    family: str
    clauses: tuple[str, ...]
    severity: Severity
    routing: frozenset[str] = frozenset()
    blocks: bool = False  # never shown to members; first in the queue for a moderator to confirm
    redact: bool = False  # masked in the text moderators see until they choose to reveal it

    @property
    def safeguarding(self) -> bool:
        """Whether an item of this category belongs to the safeguarding leads, not moderators."""
        return "dsl" in self.routing


def _c(
    code: str,
    label: str,
    family: str,
    clauses: tuple[str, ...],
    severity: Severity,
    *,
    routing: tuple[str, ...] = (),
    blocks: bool = False,
    redact: bool = False,
) -> Category:
    assert set(routing) <= set(ROUTES), routing
    return Category(code, label, family, clauses, severity, frozenset(routing), blocks, redact)


_DSL = ("dsl",)
_CEOP = ("dsl", "police_ceop")
_SAFEGUARDING = ("A.2.3",)
CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        # Personal contact details (A.4.9, 6.15): masked for moderators.
        _c("phone", "A phone number", "contact", ("A.4.9",), "medium", redact=True),
        _c("email", "An e-mail address", "contact", ("A.4.9",), "medium", redact=True),
        _c("postcode", "A postcode", "contact", ("A.4.9",), "medium", redact=True),
        _c("address", "A home address", "contact", ("A.4.9",), "medium", redact=True),
        _c("date_of_birth", "A date of birth", "contact", ("A.4.9",), "medium", redact=True),
        _c("nhs_number", "An NHS number", "contact", ("A.4.9",), "high", redact=True),
        _c("ni_number", "A National Insurance number", "contact", ("A.4.9",), "high", redact=True),
        _c("upn", "A pupil's unique number (UPN)", "contact", ("A.4.9",), "high", redact=True),
        _c(
            "social_handle",
            "A social media account name",
            "contact",
            ("A.4.9",),
            "medium",
            redact=True,
        ),
        # Pupils never identifiable (A.5.2).
        _c("pupil_full_name", "A pupil's full name", "pupil", ("A.5.2",), "high", redact=True),
        _c("pupil_first_name", "A pupil's first name", "pupil", ("A.5.2",), "medium", redact=True),
        # Confidential information (3.1, 3.2, 5.4).
        _c(
            "confidential_special_needs",
            "A pupil's special needs or health",
            "confidential",
            ("3.1",),
            "high",
        ),
        _c(
            "confidential_family",
            "A family's private circumstances",
            "confidential",
            ("3.1",),
            "high",
        ),
        _c(
            "confidential_records",
            "Information from school records",
            "confidential",
            ("3.1",),
            "high",
        ),
        _c(
            "confidential_in_confidence",
            "Something shared in confidence",
            "confidential",
            ("3.2",),
            "high",
        ),
        _c(
            "confidential_negotiation",
            "A confidential negotiation or decision",
            "confidential",
            ("3.2",),
            "medium",
        ),
        _c(
            "confidential_political",
            "Confidential political or staffing matters",
            "confidential",
            ("5.4",),
            "medium",
        ),
        # Offence and abuse (A.5.6, 5.5, A.4.5).
        _c(
            "extreme_offence",
            "Hate against people for who they are",
            "extreme_offence",
            ("A.5.6",),
            "critical",
            blocks=True,
            redact=True,
        ),
        _c(
            "threat",
            "A threat of violence",
            "extreme_offence",
            ("A.5.6", "A.2.3"),
            "critical",
            routing=_DSL,
            blocks=True,
            redact=True,
        ),
        _c("insult", "An insult or harassment aimed at a person", "insult", ("5.5",), "medium"),
        _c("tone", "Swearing or a hostile tone", "tone", ("A.4.5",), "low"),
        _c(
            "abuse_reported",
            "Abusive words quoted or reported",
            "tone",
            ("A.4.5",),
            "medium",
            redact=True,
        ),
        _c("sexual_content", "Sexual content", "sexual", ("A.5.6",), "high", blocks=True),
        # Safeguarding (A.2.3): to the leads at once, who take it out of the moderators' queue;
        # blocked outright where the content itself may be illegal (A.5.6: Police / CEOP).
        _c(
            "self_harm",
            "Self-harm or suicidal thoughts",
            "safeguarding",
            _SAFEGUARDING,
            "critical",
            routing=_DSL,
        ),
        _c(
            "disclosure_abuse",
            "Possible disclosure of abuse",
            "safeguarding",
            _SAFEGUARDING,
            "critical",
            routing=_DSL,
        ),
        _c(
            "disclosure_neglect",
            "Possible disclosure of neglect",
            "safeguarding",
            _SAFEGUARDING,
            "high",
            routing=_DSL,
        ),
        _c("bullying", "Bullying", "safeguarding", ("A.2.2", "A.2.3"), "high", routing=_DSL),
        # The meaning model's own: the leads judge whether it needs the Police / CEOP.
        _c("grooming", "Possible grooming", "safeguarding", ("A.2.3",), "critical", routing=_DSL),
        _c(
            "grooming_secrecy",
            "Possible grooming (asking for secrecy)",
            "safeguarding",
            ("A.2.3", "A.5.6"),
            "critical",
            routing=_DSL,
        ),
        _c(
            "grooming_images",
            "Possible grooming (asking for images)",
            "safeguarding",
            ("A.2.3", "A.5.6"),
            "critical",
            routing=_CEOP,
            blocks=True,
        ),
        _c(
            "grooming_flattery_gifts",
            "Possible grooming (flattery or gifts)",
            "safeguarding",
            ("A.2.3",),
            "high",
            routing=_DSL,
        ),
        _c(
            "grooming_private_channel",
            "Possible grooming (moving to a private chat)",
            "safeguarding",
            ("A.2.3",),
            "high",
            routing=_DSL,
        ),
        _c(
            "grooming_location",
            "Possible grooming (asking where a child is)",
            "safeguarding",
            ("A.2.3",),
            "critical",
            routing=_DSL,
        ),
        _c(
            "grooming_meeting",
            "Possible grooming (arranging to meet)",
            "safeguarding",
            ("A.2.3", "A.5.6"),
            "critical",
            routing=_CEOP,
            blocks=True,
        ),
        _c(
            "radicalisation",
            "Radicalisation or extremism",
            "safeguarding",
            ("A.2.3", "A.5.6"),
            "critical",
            routing=_DSL,
        ),
        _c(
            "safeguarding_phrase",
            "A phrase on the safeguarding lead's watch list",
            "safeguarding",
            _SAFEGUARDING,
            "high",
            routing=_DSL,
        ),
        _c(
            "safeguarding_example",
            "Close to an example the safeguarding lead added",
            "safeguarding",
            _SAFEGUARDING,
            "high",
            routing=_DSL,
        ),
        _c("context_cleared", "Warning-sign words, read in context as safe", "other", (), "info"),
        # Conduct on official sites (A.4.10, 5.3, A.4.2) and media enquiries (A.3.7).
        _c(
            "personal_opinion",
            "A personal opinion on an official site",
            "conduct",
            ("A.4.10",),
            "low",
        ),
        _c("political", "Political comment", "conduct", ("5.3",), "low"),
        _c("commitment", "A commitment made on the school's behalf", "conduct", ("A.4.2",), "low"),
        _c(
            "media_enquiry",
            "A media enquiry",
            "conduct",
            ("A.3.7",),
            "medium",
            routing=("head_teacher",),
        ),
        # Staff's personal accounts (6.1, 6.10, 6.12).
        _c("names_employer", "Names the school as employer", "personal", ("6.1",), "medium"),
        _c(
            "identifies_as_employee",
            "Identifies the writer as the school's employee",
            "personal",
            ("6.1",),
            "medium",
        ),
        _c(
            "school_email",
            "A school e-mail address on a personal account",
            "personal",
            ("6.10",),
            "medium",
        ),
        _c("brand", "The school's logo or brand", "personal", ("6.12",), "medium"),
        # A site's own House Rules (A.4.1): the rule's action decides.
        _c(
            "house_rule_block",
            "A word the site's House Rules block",
            "house_rules",
            ("A.4.1",),
            "high",
            blocks=True,
        ),
        _c(
            "house_rule_review",
            "A word the site's House Rules hold for review",
            "house_rules",
            ("A.4.1",),
            "low",
        ),
        _c(
            "house_rule_censor",
            "A word the site's House Rules mask",
            "house_rules",
            ("A.4.1",),
            "low",
            redact=True,
        ),
    )
}
UNKNOWN = Category("unknown", "Something to check", "other", (), "low")


def category(code: str) -> Category:
    """The registry's entry for ``code``; an unknown code is held for review, never dropped."""
    return CATEGORIES.get(code, UNKNOWN)


def label(code: str) -> str:
    entry = CATEGORIES.get(code)
    return entry.label if entry else code.replace("_", " ").capitalize()


def routing_for(codes: set[str] | frozenset[str] | list[str]) -> frozenset[str]:
    routes: set[str] = set()
    for code in codes:
        routes |= category(code).routing
    return frozenset(routes)


def safeguarding_codes() -> dict[str, str]:
    """Code -> label of every category that goes to the leads: the choices a person sees when
    raising a concern by hand ('other' last)."""
    codes = {c.code: c.label for c in CATEGORIES.values() if c.safeguarding}
    codes["other"] = "Other safeguarding concern"
    return codes


def most_severe(codes: list[str]) -> Category:
    return max(
        (category(c) for c in codes), key=lambda c: SEVERITY_RANK[c.severity], default=UNKNOWN
    )
