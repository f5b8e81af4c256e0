"""The Roselands & Stafford demo federation: fictional people in every role, so that someone
trying socialguard can sign in as each of them. Loading is idempotent.

accounts builds the organisation and its people (``register_federation_builder``); each app then
adds its own demo records through ``register_demo_loader`` (policy first: its ``ready`` runs
before the other apps'), in order of registration, in one transaction. Core names no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.apps import apps
from django.conf import settings
from django.db import transaction

if TYPE_CHECKING:
    from socialguard.accounts.models import Organisation, User

DEMO_ORGANISATION_SLUG = "roselands-stafford"
DEMO_PASSWORD = "socialguard-demo"  # noqa: S105 - printed for the demo; never used in production


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first: str
    last: str
    position: str
    school: str | None  # school slug, or None for federation-wide
    roles: tuple[str, ...]
    manager: str | None = None
    year_group: str = ""
    acknowledged: bool = False
    is_staff_user: bool = False


# Fictional people. Phone numbers come from Ofcom's range reserved for drama (01632 960xxx).
PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        "head",
        "Helen",
        "Ashdown",
        "Executive Head Teacher",
        None,
        ("head_teacher",),
        acknowledged=True,
    ),
    DemoPerson(
        "comms",
        "Marcus",
        "Reid",
        "Communications Manager",
        None,
        ("comms_manager", "staff"),
        "head",
        acknowledged=True,
    ),
    DemoPerson(
        "dsl",
        "Priya",
        "Natarajan",
        "Deputy Head and Designated Safeguarding Lead",
        None,
        ("dsl", "staff"),
        "head",
        acknowledged=True,
    ),
    DemoPerson(
        "deputydsl",
        "Tom",
        "Okafor",
        "Assistant Head (Roselands), Deputy DSL",
        "roselands",
        ("deputy_dsl", "staff"),
        "head",
        acknowledged=True,
    ),
    DemoPerson(
        "linemanager",
        "Sarah",
        "Whitfield",
        "Assistant Head (Key Stage 2)",
        "stafford",
        ("staff",),
        "head",
        acknowledged=True,
    ),
    DemoPerson(
        "teacher", "James", "Carter", "Year 4 Teacher", "stafford", ("staff",), "linemanager"
    ),
    DemoPerson(
        "teacher2",
        "Aisha",
        "Begum",
        "Year 1 Teacher",
        "roselands",
        ("staff",),
        "deputydsl",
        acknowledged=True,
    ),
    DemoPerson("ta", "Ben", "Howarth", "Teaching Assistant", "roselands", ("staff",), "deputydsl"),
    DemoPerson(
        "itlead",
        "Olu",
        "Adebayo",
        "Network Manager",
        None,
        ("it_lead", "staff"),
        "head",
        acknowledged=True,
    ),
    DemoPerson(
        "contractor", "Dave", "Mills", "ICT Support (contractor)", None, ("contractor",), "itlead"
    ),
    DemoPerson("governor", "Margaret", "Hale", "Chair of Governors", None, ("governor",)),
    DemoPerson(
        "admin",
        "Karen",
        "Blake",
        "Federation Office Manager",
        None,
        ("administrator", "staff"),
        "head",
        acknowledged=True,
        is_staff_user=True,
    ),
    DemoPerson("parent", "Claire", "Dawson", "Parent", None, ("family_member",)),
    DemoPerson("pupil", "Oliver", "Bennett", "", "stafford", ("pupil",), year_group="4"),
    DemoPerson("pupil2", "Amelia", "Clarke", "", "stafford", ("pupil",), year_group="4"),
    DemoPerson("pupil3", "Noah", "Patel", "", "stafford", ("pupil",), year_group="3"),
    DemoPerson("pupil4", "Isla", "Thompson", "", "roselands", ("pupil",), year_group="1"),
    DemoPerson("pupil5", "Leo", "Murphy", "", "roselands", ("pupil",), year_group="R"),
)

LOGIN_HINTS = (
    ("head", "head teacher (cases, media enquiries)"),
    ("comms", "Communications Manager (moderates the Year 4 Learning Blog)"),
    ("dsl", "designated safeguarding lead (concerns)"),
    ("deputydsl", "deputy safeguarding lead (vets the blog's members)"),
    ("ta", "teaching assistant (moderates the blog)"),
    ("linemanager", "line manager"),
    ("teacher", "teacher"),
    ("contractor", "contractor"),
    ("governor", "governor (reports; hears appeals)"),
    ("parent", "parent"),
    ("pupil", "pupil (Year 4, posts on the blog)"),
    ("admin", "administrator (admin pages, outbox, audit trail)"),
)


@dataclass
class DemoResult:
    created: bool
    organisation: str
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        state = "Loaded" if self.created else "Already loaded"
        lines = [f"{state}: {self.organisation} (demo data, fictional people).", ""]
        lines.append(f"Sign in at {settings.SITE_URL}/ with password '{DEMO_PASSWORD}' as:")
        lines += [f"  {username:<12} {label}" for username, label in LOGIN_HINTS]
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)


DemoLoader = Callable[["Organisation", dict[str, "User"]], None]
_LOADERS: list[DemoLoader] = []


class FederationBuilder(Protocol):
    """Makes the organisation, its schools and ``PEOPLE`` with their roles (accounts registers
    it), returning the organisation and the people by username without any prefix."""

    def __call__(
        self, *, slug: str, name: str, username_prefix: str
    ) -> tuple[Organisation, dict[str, User]]: ...


_BUILDERS: list[FederationBuilder] = []


def register_federation_builder(builder: FederationBuilder) -> FederationBuilder:
    _BUILDERS[:] = [builder]
    return builder


def register_demo_loader(loader: DemoLoader) -> DemoLoader:
    if loader not in _LOADERS:
        _LOADERS.append(loader)
    return loader


def demo_federation_load(
    *,
    slug: str = DEMO_ORGANISATION_SLUG,
    name: str = "Roselands & Stafford Federation",
    username_prefix: str = "",
) -> DemoResult:
    """Load the demo federation. The keywords make a second, separate copy (the access matrix
    test needs two organisations); usernames are global, so the copy's carry a prefix."""
    existing = apps.get_model("accounts", "Organisation").objects.filter(slug=slug).first()
    if existing is not None:
        return DemoResult(created=False, organisation=existing.name)
    if not _BUILDERS:
        raise RuntimeError("No demo federation builder is registered (accounts registers it).")
    with transaction.atomic():
        organisation, people = _BUILDERS[0](slug=slug, name=name, username_prefix=username_prefix)
        for loader in _LOADERS:
            loader(organisation, people)
    return DemoResult(created=True, organisation=organisation.name)
