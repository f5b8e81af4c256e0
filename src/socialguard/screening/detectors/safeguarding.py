"""Safeguarding (A.2.2, A.2.3): disclosures of abuse or neglect, self-harm and suicidal intent,
bullying, grooming patterns and radicalisation. Everything here goes to the designated
safeguarding lead (``dsl``); grooming towards sexual contact or images also to ``police_ceop``.
Patterns are written in the words children and groomers actually use, with the near-misses
("secret santa", "The Secret Garden", "I nearly died laughing") kept out."""

from __future__ import annotations

import re

from socialguard.screening.base import Context, Detector, Finding
from socialguard.screening.normalise import NormalisedText

ADULT = r"(?:my |his |her )?(?:dad|daddy|mum|mummy|mom|step ?dad|step ?mum|uncle|auntie|aunt|brother|sister|grandad|nan|mum'?s boyfriend|dad'?s girlfriend|he|she|they|someone|a man|a lady|coach|teacher)"
PATTERNS: list[tuple[str, str, str, frozenset[str], str]] = [
    (
        "disclosure_abuse",
        "critical",
        rf"\b{ADULT} (?:hits?|hurts?|beats?|kicks?|punch(?:es)?|slaps?|burns?|chokes?|touch(?:es|ed)?|hit|hurt) me\b|"
        r"\btouched me (?:there|down there|where|in my)|\b(?:scared|frightened|afraid) to go home\b|"
        r"\bdon'?t want to go home\b|\bmakes? me keep (?:it|a) secret|\blocks? me in\b|\bleft me (?:alone|home alone) (?:all|for)",
        frozenset({"dsl"}),
        "A child may be disclosing abuse.",
    ),
    (
        "disclosure_neglect",
        "high",
        r"\b(?:no|not any|never any) (?:food|dinner|tea) (?:at|in) (?:home|the house)\b|\bhaven'?t eaten since\b|"
        r"\bnobody (?:feeds|looks after) me\b|\bno one (?:feeds|looks after) me\b|\bhungry all the time\b",
        frozenset({"dsl"}),
        "A child may be disclosing neglect.",
    ),
    (
        "self_harm",
        "critical",
        r"\b(?:i|i'?m going to|gonna|want to|wanna) (?:kill|hurt) myself\b|\bwant to die\b|\bwish i (?:was|were) dead\b|"
        r"\b(?:end|ending) it all\b|\bcut(?:ting)? myself\b|\bself[- ]harm\w*\b|\bdon'?t want to (?:be here|live) any ?more\b|"
        r"\bbetter off without me\b|\bno (?:reason|point) (?:to|in) liv\w+\b|\bsuicid\w+\b|\boverdose\b",
        frozenset({"dsl"}),
        "Self-harm or suicidal thoughts.",
    ),
    (
        "bullying",
        "high",
        r"\b(?:they|everyone|people|the other kids|[a-z]+) (?:keeps?|keep on|always) (?:calling me|hitting me|pushing me|"
        r"laughing at me|picking on me|taking my)|\b(?:i'?m|i am|being|been) bullied\b|\beveryone hates me\b|"
        r"\bnobody (?:likes|wants to play with) me\b|\bwon'?t let me play\b|\bcalled me (?:a |an )?\w+",
        frozenset({"dsl"}),
        "A child may be being bullied (A.2.2 cyberbullying).",
    ),
    (
        "grooming_secrecy",
        "critical",
        r"\b(?:our (?:little )?secret|keep (?:this|it) (?:between us|secret|to yourself)|don'?t tell (?:your|ur) "
        r"(?:mum|mom|dad|parents|teacher|anyone)|delete (?:this|these|our) (?:message|chat)s?)\b",
        frozenset({"dsl"}),
        "Grooming pattern: asking a child to keep secrets.",
    ),
    (
        "grooming_images",
        "critical",
        r"\b(?:send|show) (?:me )?(?:a |some |another )?(?:pic|pics|photo|photos|picture|pictures|selfie|video)s?\b"
        r"(?! of (?:the|your) (?:homework|project|model|work|artwork))|\bwhat are (?:you|u) wearing\b|\bturn (?:your|ur) camera on\b",
        frozenset({"dsl", "police_ceop"}),
        "Grooming pattern: asking for images (illegal where a child is involved).",
    ),
    (
        "grooming_flattery_gifts",
        "high",
        r"\b(?:so |really )?mature for (?:your|ur) age\b|\bmore grown[- ]up than\b|\b(?:i'?ll|i will|i can) "
        r"(?:buy|get|send) (?:you|u) (?:a |some )?(?:present|gift|phone|money|robux|v-?bucks|credit|skins?)\b|"
        r"\bspecial friend\b|\bi understand (?:you|u) better than (?:your|ur) parents\b",
        frozenset({"dsl"}),
        "Grooming pattern: flattery about maturity or gifts.",
    ),
    (
        "grooming_private_channel",
        "high",
        r"\b(?:message|text|chat with|talk to) me (?:on|in|over) (?:snap(?:chat)?|whatsapp|insta(?:gram)?|kik|discord|"
        r"telegram|private|dm)\b|\blet'?s (?:talk|chat) (?:somewhere )?(?:private(?:ly)?|in private)\b|\bdm me\b",
        frozenset({"dsl"}),
        "Grooming pattern: moving a child to a private channel.",
    ),
    (
        "grooming_location",
        "critical",
        r"\bwhere do (?:you|u) live\b|\bwhat(?:'s| is) (?:your|ur) (?:address|postcode)\b|\bwhich way do (?:you|u) walk home\b|"
        r"\bwhat time do (?:you|u) (?:walk|get) home\b|\bare (?:you|u) (?:home )?alone\b|\bwhen are (?:your|ur) parents out\b",
        frozenset({"dsl"}),
        "Grooming pattern: asking where a child lives, walks or is alone.",
    ),
    (
        "grooming_meeting",
        "critical",
        r"\bmeet (?:me|up) (?:alone|after school|at the park|on your own|without (?:your|ur) (?:mum|parents))\b|"
        r"\bcome (?:round|over) when (?:your|ur) parents (?:are )?(?:out|away)\b|\bdon'?t bring anyone\b",
        frozenset({"dsl", "police_ceop"}),
        "Grooming pattern: arranging to meet a child alone.",
    ),
    (
        "radicalisation",
        "critical",
        r"\b(?:join (?:the )?(?:jihad|caliphate|fight|cause)|race war|white power|14 words|great replacement|"
        r"(?:they|immigrants) are invading|become a martyr|holy war|blood and soil)\b",
        frozenset({"dsl"}),
        "Radicalisation: extremist language or recruitment (Prevent duty).",
    ),
]
_COMPILED = [(c, s, re.compile(p), e, why) for c, s, p, e, why in PATTERNS]
NEAR_MISS = re.compile(
    r"\b(?:secret santa|secret garden|secret ingredient|secret recipe|died laughing|dying laughing|"
    r"top secret mission|secret seven|famous five)\b"
)


class SafeguardingDetector(Detector):
    name = "safeguarding"
    clauses = ("A.2.2", "A.2.3")

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        view = text.folded
        lowered = view.text
        near = [m.span() for m in NEAR_MISS.finditer(lowered)]
        found: list[Finding] = []
        for category, severity, pattern, escalate, why in _COMPILED:
            for match in pattern.finditer(lowered):
                if any(s < match.end() and match.start() < e for s, e in near):
                    continue
                start, end = view.span(match.start(), match.end())
                clauses = ("A.2.3", "A.5.6") if "police_ceop" in escalate else self.clauses
                found.append(
                    self.finding(
                        category=category,
                        start=start,
                        end=end,
                        severity=severity,
                        score=0.9 if severity == "critical" else 0.75,
                        clauses=clauses,
                        escalate=escalate,
                        blocks="police_ceop" in escalate,
                        explanation=why,
                    )
                )
        return found
