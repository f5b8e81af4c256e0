"""The dashboard is assembled from cards that each app contributes.

An app registers a provider in its ``AppConfig.ready``; a provider looks at the signed-in user
and returns the cards that person has to act on. The dashboard view knows no app by name, so
sites, moderation and safeguarding add their own work without touching core.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from socialguard.accounts.models import User

Tone = Literal["info", "todo", "warning", "urgent", "done"]


@dataclass(frozen=True)
class DashboardCard:
    title: str
    body: str
    tone: Tone = "info"
    link_url: str = ""
    link_text: str = ""
    clauses: tuple[str, ...] = ()
    items: tuple[str, ...] = field(default_factory=tuple)
    order: int = 100


Provider = Callable[["User"], list[DashboardCard]]
_PROVIDERS: list[Provider] = []
_TONE_RANK = {"urgent": 0, "warning": 1, "todo": 2, "info": 3, "done": 4}


def register_dashboard_provider(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def dashboard_cards_for(user: User) -> list[DashboardCard]:
    cards = [card for provider in _PROVIDERS for card in provider(user)]
    return sorted(cards, key=lambda c: (_TONE_RANK[c.tone], c.order, c.title))


# The line under the dashboard's heading ("Head teacher · Line manager"): accounts knows the
# roles and registers how to name them, so core names no app.
RoleLabels = Callable[["User"], list[str]]
_ROLE_LABELS: list[RoleLabels] = []


def register_role_labels(describer: RoleLabels) -> RoleLabels:
    if describer not in _ROLE_LABELS:
        _ROLE_LABELS.append(describer)
    return describer


def role_labels_for(user: User) -> list[str]:
    return [label for describer in _ROLE_LABELS for label in describer(user)]
