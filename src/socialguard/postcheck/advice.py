"""What to tell a member of staff about each kind of finding on a personal post: what to change,
the personal-webspace clause that asks for it, and the words to put in its place where the
change is obvious. The screening engine says what it saw; this says what to do about it on
one's own account, so it lives here, not in the engine's registry. Pure Python."""

from __future__ import annotations

import re
from dataclasses import dataclass

from socialguard.screening.categories import category as registry_entry


@dataclass(frozen=True, slots=True)
class Advice:
    change: str
    # The clauses of section 6 that apply on a personal account, where the engine cites the
    # official-site rule (an e-mail address is A.4.9 on an official site, 6.15 on one's own).
    clauses: tuple[str, ...] = ()
    # What the words become in the suggested rewrite: None keeps them (no obvious rewrite:
    # taking out a phone number leaves "ring me on about the fete"), "" takes them out.
    replacement: str | None = None


_CONTACT = (
    "It is not safe to put your own contact details on social media: leave it out, and use a "
    "separate e-mail address just for social networking."
)
_PUPIL = (
    "Don't name a pupil: leave pupils out of personal posts altogether, even without a name "
    "their families and classmates can tell who is meant."
)
_SAFEGUARDING = (
    "Don't post this. If it is about a child you are worried about, tell the designated "
    "safeguarding lead today (Report a concern)."
)
ADVICE: dict[str, Advice] = {
    "names_employer": Advice(
        "Remove the school's name: your personal account must not link you to your employer.",
        ("6.1",),
        "work",
    ),
    "identifies_as_employee": Advice(
        "Leave out that you work at the school (your class, your pupils, your school).",
        ("6.1",),
    ),
    "school_email": Advice(
        "Use your personal e-mail: school addresses must not be used on personal social media.",
        ("6.10",),
        "your personal e-mail address",
    ),
    "brand": Advice(
        "Leave out the school's logo, badge, uniform or lanyard, in words and in photos.",
        ("6.9", "6.12"),
    ),
    "pupil_full_name": Advice(_PUPIL, ("6.8",), "someone"),
    "pupil_first_name": Advice(_PUPIL, ("6.8",), "someone"),
    "upn": Advice("Remove the pupil's number: it comes from school records.", ("6.8",), ""),
    "phone": Advice(_CONTACT, ("6.15",)),
    "email": Advice(_CONTACT, ("6.15",)),
    "postcode": Advice(_CONTACT, ("6.15",)),
    "address": Advice(_CONTACT, ("6.15",)),
    "date_of_birth": Advice(_CONTACT, ("6.15",)),
    "nhs_number": Advice("Remove the NHS number.", ("6.15",), ""),
    "ni_number": Advice("Remove the National Insurance number.", ("6.15",), ""),
    "social_handle": Advice(
        "Check whose account this is: never tag a pupil or a pupil's family.", ("6.2", "6.8")
    ),
    "confidential_special_needs": Advice(
        "Leave it out: what you know about pupils from work stays at work.", ("6.8",)
    ),
    "confidential_family": Advice(
        "Leave it out: what you know about families from work stays at work.", ("6.8",)
    ),
    "confidential_records": Advice(
        "Leave it out: school records are never discussed on personal webspace.", ("6.8",)
    ),
    "confidential_in_confidence": Advice(
        "Leave it out: what was shared with you in confidence stays confidential.", ("6.8",)
    ),
    "confidential_negotiation": Advice(
        "Leave it out: the school's confidential business is not for personal posts.", ("6.8",)
    ),
    "confidential_political": Advice(
        "Leave it out: the school's confidential business is not for personal posts.", ("6.8",)
    ),
    "insult": Advice(
        "Take out the insult: never attack or insult pupils, families, colleagues or others.",
        ("5.5",),
    ),
    "tone": Advice("Tone it down: posts stay public and are easily shared.", ("5.2",)),
    "abuse_reported": Advice("Leave out the abusive words, even when quoting them.", ("5.5",)),
    "extreme_offence": Advice("Don't post this: it attacks people for who they are.", ("5.5",)),
    "threat": Advice("Don't post this: it reads as a threat.", ("5.5",)),
    "sexual_content": Advice("Don't post this: keep sexual content off social media.", ("5.2",)),
    "political": Advice("Make clear these are your own views, never the school's.", ("5.3",)),
}
DEFAULT = Advice("Rewrite or remove this before you publish.")
_POSSESSIVE = re.compile(r"(?:'s|’s|s')$")


def advice_for(code: str) -> Advice:
    if code in ADVICE:
        return ADVICE[code]
    if registry_entry(code).safeguarding:
        return Advice(_SAFEGUARDING, ("A.2.3",))
    return DEFAULT


def replace_words(original: str, replacement: str) -> str:
    """``replacement`` in place of ``original``, keeping a possessive ("Oliver's" ->
    "someone's")."""
    if replacement and _POSSESSIVE.search(original):
        return replacement + "'s"
    return replacement


def tidy(text: str) -> str:
    """Spaces and punctuation left behind where words were taken out."""
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,.!?;:])", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    return "\n".join(line.strip() for line in text.splitlines()).strip()
