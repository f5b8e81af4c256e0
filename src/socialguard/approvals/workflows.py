"""Which sign-offs each kind of approval needs, in order, and the clause that asks for each.

One generic engine serves every approval the policy requires (ANCHORS.md §3.3): steps are
strictly sequential, a later approver sees a request only once the earlier steps have passed,
and nobody approves their own request. An organisation could configure other steps; these are
the policy's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Rule(StrEnum):
    LINE_MANAGER = "line_manager"  # the submitter's line manager (reporting line)
    ROLE = "role"  # anyone holding the role in the organisation


class Quorum(StrEnum):
    ANY = "any"  # one approver of the step is enough
    ALL = "all"  # every approver of the step must approve


@dataclass(frozen=True)
class StepSpec:
    name: str
    rule: Rule
    clauses: tuple[str, ...]
    role: str = ""
    quorum: Quorum = Quorum.ANY
    statement: str = ""  # what the approver signs, as on the paper form


class Kind(StrEnum):
    SITE_PROPOSAL = "site_proposal"
    THIRD_PARTY_PARTICIPATION = "third_party_participation"
    CONTENT = "content"
    LOGO_USE = "logo_use"
    ADVERT_FOR_CONTRIBUTORS = "advert_for_contributors"
    EXTERNAL_FRIEND = "external_friend"


LINE_MANAGER = StepSpec(
    "Line manager",
    Rule.LINE_MANAGER,
    ("A.3.2",),
    statement="I approve the aims and content of the proposed site.",
)
COMMS = StepSpec(
    "Communications Manager",
    Rule.ROLE,
    ("A.3.2", "A.3.5"),
    role="comms_manager",
    statement="I approve the aims and content of the proposed site and the use of school brand "
    "and logo.",
)
HEAD = StepSpec(
    "Head teacher",
    Rule.ROLE,
    ("A.3.2",),
    role="head_teacher",
    statement="I give final approval for the site.",
)

WORKFLOWS: dict[Kind, tuple[StepSpec, ...]] = {
    Kind.SITE_PROPOSAL: (LINE_MANAGER, COMMS, HEAD),
    Kind.THIRD_PARTY_PARTICIPATION: (
        StepSpec("Line manager", Rule.LINE_MANAGER, ("A.3.3",)),
        StepSpec("Communications Manager", Rule.ROLE, ("A.3.3",), role="comms_manager"),
        StepSpec("Head teacher", Rule.ROLE, ("A.3.3",), role="head_teacher"),
    ),
    Kind.CONTENT: (
        StepSpec("Line manager", Rule.LINE_MANAGER, ("A.3.4",)),
        StepSpec("Communications Manager", Rule.ROLE, ("A.3.4",), role="comms_manager"),
    ),
    Kind.LOGO_USE: (
        StepSpec("Communications Manager", Rule.ROLE, ("A.3.5",), role="comms_manager"),
    ),
    Kind.ADVERT_FOR_CONTRIBUTORS: (
        StepSpec("Communications Manager", Rule.ROLE, ("A.5.8",), role="comms_manager"),
    ),
    Kind.EXTERNAL_FRIEND: (
        StepSpec("Communications Manager", Rule.ROLE, ("A.5.9",), role="comms_manager"),
    ),
}

KIND_LABELS = {
    Kind.SITE_PROPOSAL: "Site proposal (Appendix B)",
    Kind.THIRD_PARTY_PARTICIPATION: "Participation on a third-party site",
    Kind.CONTENT: "Content for a site",
    Kind.LOGO_USE: "Use of the school logo and brand",
    Kind.ADVERT_FOR_CONTRIBUTORS: "Advert for contributors",
    Kind.EXTERNAL_FRIEND: "External organisation as a 'friend'",
}
