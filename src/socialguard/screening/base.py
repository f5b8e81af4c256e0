"""The screening engine's types: what a detector sees (Context) and returns (Finding), and what
the engine decides (Verdict). Pure Python: no Django, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast

if TYPE_CHECKING:
    from socialguard.screening.normalise import NormalisedText

Action = Literal["allow", "review", "block"]
Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
AUDIENCES = ("official_site", "third_party_official", "personal")


@dataclass(frozen=True, slots=True)
class Finding:
    detector: str
    category: str
    clauses: tuple[str, ...]
    severity: Severity
    score: float
    start: int
    end: int
    explanation: str

    # What follows from a finding is the category registry's to say (screening/categories.py),
    # never the detector's: one place decides routing, blocking and masking.
    @property
    def escalate(self) -> frozenset[str]:
        from socialguard.screening.categories import category

        return category(self.category).routing

    @property
    def blocks(self) -> bool:
        from socialguard.screening.categories import category

        return category(self.category).blocks

    @property
    def redact(self) -> bool:
        from socialguard.screening.categories import category

        return category(self.category).redact

    @property
    def label(self) -> str:
        from socialguard.screening.categories import label

        return label(self.category)

    def to_dict(self) -> dict[str, Any]:
        return {
            "detector": self.detector,
            "category": self.category,
            "label": self.label,
            "clauses": list(self.clauses),
            "severity": self.severity,
            "score": round(self.score, 3),
            "start": self.start,
            "end": self.end,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class Person:
    first: str
    last: str = ""
    year: str = ""
    position: str = ""


@dataclass(frozen=True)
class Roster:
    organisation: str = ""
    schools: tuple[str, ...] = ()
    email_domains: tuple[str, ...] = ()
    official_phones: tuple[str, ...] = ()
    official_addresses: tuple[str, ...] = ()
    pupils: tuple[Person, ...] = ()
    staff: tuple[Person, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Roster:
        def people(key: str) -> tuple[Person, ...]:
            return tuple(
                Person(
                    first=str(p.get("first", "")),
                    last=str(p.get("last", "")),
                    year=str(p.get("year", "")),
                    position=str(p.get("position", "")),
                )
                for p in data.get(key, [])
                if p.get("first")
            )

        return cls(
            organisation=str(data.get("organisation", "")),
            schools=tuple(data.get("schools", [])),
            email_domains=tuple(d.lower() for d in data.get("email_domains", [])),
            official_phones=tuple(data.get("official_phones", [])),
            official_addresses=tuple(data.get("official_addresses", [])),
            pupils=people("pupils"),
            staff=people("staff"),
        )


@dataclass(frozen=True, slots=True)
class HouseRule:
    """A watched word or phrase (Discourse-style): block, review or censor."""

    pattern: str
    action: Literal["block", "review", "censor"] = "review"
    regex: bool = False
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class Example:
    """A sentence the safeguarding lead added: messages that mean the same are flagged, in any
    words (nearest-example matching on the contextual encoder)."""

    text: str
    category: str = "safeguarding_example"
    example_id: str = ""


@dataclass(frozen=True)
class Context:
    audience: str = "official_site"
    author_role: str = "staff"
    roster: Roster = field(default_factory=Roster)
    house_rules: tuple[HouseRule, ...] = ()
    # The organisation's safeguarding phrase library (local slang, code words): rules as data.
    safeguarding_phrases: tuple[HouseRule, ...] = ()
    safeguarding_examples: tuple[Example, ...] = ()

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(
                f"audience must be one of {', '.join(AUDIENCES)}, not {self.audience!r}"
            )


@dataclass(frozen=True)
class Verdict:
    action: Action
    escalate: frozenset[str]
    findings: tuple[Finding, ...]
    redacted: str
    stages: tuple[str, ...] = ("rules",)  # which stages read the message: rules, fast, contextual

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "escalate": sorted(self.escalate),
            "findings": [f.to_dict() for f in self.findings],
            "redacted": self.redacted,
            "stages": list(self.stages),
        }

    @property
    def clauses(self) -> tuple[str, ...]:
        return tuple(sorted({c for f in self.findings for c in f.clauses}))


class Detector:
    """One policy concern. Subclasses set the class constants and implement ``detect``."""

    name: ClassVar[str] = ""
    clauses: ClassVar[tuple[str, ...]] = ()
    audiences: ClassVar[tuple[str, ...]] = AUDIENCES

    def detect(self, text: NormalisedText, context: Context) -> list[Finding]:
        raise NotImplementedError

    def finding(
        self,
        *,
        category: str,
        start: int,
        end: int,
        explanation: str,
        severity: str = "medium",
        score: float = 0.8,
        clauses: Iterable[str] | None = None,
        **extra: Any,
    ) -> Finding:
        return Finding(
            detector=self.name,
            category=category,
            clauses=tuple(clauses or self.clauses),
            severity=cast(Severity, severity),
            score=score,
            start=start,
            end=end,
            explanation=explanation,
            **extra,
        )
