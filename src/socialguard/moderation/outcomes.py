"""What a decision in the queue does to the thing decided, reached only through handlers the
owner registers (as the approval engine reaches sites, content and logos). Moderation never
imports community: community registers an object with these functions when the app is ready
(``community.hooks``), so the dependency runs one way, community -> moderation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from socialguard.accounts.models import User


@dataclass(frozen=True)
class ContentEvidence:
    """What the content's owner hands over when an item goes to the safeguarding leads."""

    record: dict[str, Any]
    place: str
    school_id: int | None
    image: tuple[bytes, str] | None = None


class Outcomes(Protocol):
    def contribution_publish(
        self, *, contribution_id: int, by: User, body: str | None = None
    ) -> str: ...
    def contribution_reject(self, *, contribution_id: int, by: User, why: str) -> str: ...
    def contribution_remove(self, *, contribution_id: int, by: User, why: str) -> str: ...
    def contribution_withhold(self, *, contribution_id: int) -> None: ...
    def contribution_hold(self, *, contribution_id: int, blocked: bool) -> None: ...
    def contribution_evidence(self, *, contribution_id: int) -> ContentEvidence: ...
    def membership_approve(self, *, membership_id: int, by: User) -> None: ...
    def membership_refuse(self, *, membership_id: int, by: User, why: str) -> None: ...
    def membership_suspend(self, *, membership_id: int, by: User, why: str) -> None: ...
    def house_rules(self, *, site_id: int) -> list[str]: ...
    def review_targets(self) -> dict[int, int]: ...


_registered: list[Outcomes] = []


def register_outcomes(outcomes: Outcomes) -> None:
    _registered[:] = [outcomes]


def outcomes() -> Outcomes:
    if not _registered:
        raise RuntimeError("No content owner registered its outcomes with the review queue.")
    return _registered[0]
