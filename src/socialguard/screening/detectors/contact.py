"""Contact details and personal data (A.4.9, 6.15): phone numbers (also spaced, in words or with
letters for digits), e-mail addresses (also obfuscated), postcodes, street addresses, dates of
birth, NHS numbers, National Insurance numbers, Unique Pupil Numbers, social-media handles.
The organisation's own published numbers, addresses and e-mail domains are allowed."""

from __future__ import annotations

import re
from collections.abc import Callable

from socialguard.screening.base import Context, Detector, Finding, Roster
from socialguard.screening.normalise import NormalisedText, View

_NUMBER_WORDS = {
    "zero": "0",
    "oh": "0",
    "nought": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "double": "",
    "o": "0",
}
PHONE = re.compile(r"(?<![\w/])(?:\+|00)?[\dol](?:[\s().-]{0,3}[\dol]){8,13}(?![\w/])")
WORDS_PHONE = re.compile(
    r"\b(?:(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|double|\d)[\s,-]+){8,}"
    r"(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|\d)\b"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
OBFUSCATED_EMAIL = re.compile(
    r"\b([\w.+-]+(?:\s*(?:\(|\[)?\s*dot\s*(?:\)|\])?\s*[\w+-]+)*)\s*(?:\(|\[)?\s*at\s*(?:\)|\])?\s*"
    r"([\w-]+(?:\s*(?:\(|\[)?\s*dot\s*(?:\)|\])?\s*[\w-]+)+)\b"
)
POSTCODE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b")
STREET = re.compile(
    r"\b\d{1,4}[a-z]?\s+(?:[a-z]+\s){1,3}(?:road|rd|street|st|avenue|ave|lane|close|drive|way|"
    r"crescent|gardens|place|terrace|grove|court|mews|hill|park|rise|walk)\b"
)
DOB = re.compile(
    r"\b(?:dob|d\.o\.b|date of birth|born on|birthday is|born)\s*(?::|is|was)?\s*(?:the\s*)?"
    r"(\d{1,2}(?:st|nd|rd|th)?[\s/.-](?:\d{1,2}|[a-z]{3,9})(?:[\s/.-]\d{2,4})?)"
)
NHS = re.compile(r"\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b")
NINO = re.compile(
    r"\b(?!bg|gb|nk|kn|tn|nt|zz)[a-ceghj-pr-tw-z][a-ceghj-nprstw-z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[a-d]\b"
)
UPN = re.compile(r"\b[a-hj-np-z]\d{11}[\da-hj-np-z]\b")
HANDLE = re.compile(
    r"(?:(?:add|follow|message|dm|snap|find)\s+me\s+(?:on|at)\s+(?:snap(?:chat)?|insta(?:gram)?|"
    r"tiktok|whatsapp|kik|discord|facebook|fb|twitter|x)\b(?:\s*(?:at|:)?\s*@?[\w.]{3,})?|"
    r"my\s+(?:snap(?:chat)?|insta(?:gram)?|tiktok|discord|whatsapp)\s+(?:is|name is)\s*:?\s*@?[\w.]{3,}|"
    r"(?<![\w.])@[a-z_][\w.]{2,29}\b)"
)


# The patterns below that cannot match without a digit (postcodes, streets, dates of birth and
# the numbers with checksums), an '@', or the words 'at' and 'dot': a cheap test first skips
# them for the many messages without, which changes no finding.
_DIGIT = re.compile(r"\d")


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value.replace("o", "0").replace("l", "1"))


def nhs_checksum_ok(digits: str) -> bool:
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # DfE check letters: 23 of them, no I, O or S


def upn_check_letter_ok(upn: str) -> bool:
    """DfE Unique Pupil Number: letter = weighted sum (weights 2..13) of the rest, mod 23."""
    upn = upn.upper()
    values = []
    for char in upn[1:]:
        if char.isdigit():
            values.append(int(char))
        elif char in _UPN_LETTERS:
            values.append(_UPN_LETTERS.index(char))
        else:
            return False
    total = sum(v * w for v, w in zip(values, range(2, 14), strict=True))
    return _UPN_LETTERS[total % 23] == upn[0]


class ContactDetector(Detector):
    name = "contact"
    clauses = ("A.4.9", "6.15")

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        view = text.plain
        roster = context.roster
        official_numbers = {_digits(p)[-10:] for p in roster.official_phones}
        official_postcodes = {
            m.group().replace(" ", "")
            for a in roster.official_addresses
            for m in POSTCODE.finditer(a.lower())
        }
        found: list[Finding] = []

        def add(
            category: str,
            match: re.Match[str],
            explanation: str,
            severity: str = "high",
            group: int = 0,
        ) -> None:
            start, end = view.span(match.start(group), match.end(group))
            found.append(
                self.finding(
                    category=category,
                    start=start,
                    end=end,
                    explanation=explanation,
                    severity=severity,
                )
            )

        for match in PHONE.finditer(view.text):
            digits = _digits(match.group())
            if (
                10 <= len(digits) <= 15
                and digits[-10:] not in official_numbers
                and not NHS_OK(digits)
            ):
                add(
                    "phone",
                    match,
                    "A phone number: staff must not give out personal contact details (A.4.9).",
                )
        for match in WORDS_PHONE.finditer(view.text):
            digits = "".join(
                _NUMBER_WORDS.get(w, w) for w in re.findall(r"[a-z]+|\d", match.group())
            )
            if len(digits) >= 9 and digits[-10:] not in official_numbers:
                add("phone", match, "A phone number written in words.")
        self._emails(view, context, add)
        if _DIGIT.search(view.text) is not None:
            self._numbered(view, roster, official_postcodes, add)
        if "@" in view.text or "me" in view.text or "my" in view.text:
            for match in HANDLE.finditer(view.text):
                add(
                    "social_handle",
                    match,
                    "A social-media handle or an invitation to add one.",
                    "medium",
                )
        return found

    @staticmethod
    def _numbered(
        view: View, roster: Roster, official_postcodes: set[str], add: Callable[..., None]
    ) -> None:
        for match in POSTCODE.finditer(view.text):
            if match.group().replace(" ", "") not in official_postcodes:
                add("postcode", match, "A postcode: it locates someone's home.", "medium")
        for match in STREET.finditer(view.text):
            if not any(match.group() in a.lower() for a in roster.official_addresses):
                add("address", match, "A street address.", "medium")
        for match in DOB.finditer(view.text):
            add("date_of_birth", match, "A date of birth.", "medium")
        for match in NHS.finditer(view.text):
            if nhs_checksum_ok(_digits(match.group())):
                add("nhs_number", match, "An NHS number (valid checksum).")
        for match in NINO.finditer(view.text):
            add("ni_number", match, "A National Insurance number.")
        for match in UPN.finditer(view.text):
            if upn_check_letter_ok(match.group()):
                add(
                    "upn",
                    match,
                    "A Unique Pupil Number (valid check letter): pupil records are confidential (3.2).",
                )

    @staticmethod
    def _emails(view, context: Context, add) -> None:
        official = context.roster.email_domains
        personal_audience = context.audience == "personal"
        seen: list[tuple[int, int]] = []
        for pattern, obfuscated in ((EMAIL, False), (OBFUSCATED_EMAIL, True)):
            if not (("at" in view.text and "dot" in view.text) if obfuscated else "@" in view.text):
                continue
            for match in pattern.finditer(view.text):
                if any(s <= match.start() < e for s, e in seen):
                    continue
                seen.append((match.start(), match.end()))
                address = re.sub(r"\s*[\[(]?\s*dot\s*[\])]?\s*", ".", match.group())
                domain = address.rsplit("@", 1)[-1] if "@" in address else address.split(" at ")[-1]
                if obfuscated and not re.search(r"\b(?:com|net|org|uk|io|co)\b", domain):
                    continue  # "meet at home" is not an address
                is_official = any(domain.strip().endswith(d) for d in official)
                if is_official and not personal_audience:
                    continue  # the school's published addresses are fine on official sites
                label = (
                    "An e-mail address written to dodge filters."
                    if obfuscated
                    else "An e-mail address."
                )
                add("email", match, label)


def NHS_OK(digits: str) -> bool:
    """Ten digits that pass the NHS checksum are reported as an NHS number, not a phone."""
    return len(digits) == 10 and nhs_checksum_ok(digits)
