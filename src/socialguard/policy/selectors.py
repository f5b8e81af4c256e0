"""Reading the policy and who has acknowledged it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from socialguard.accounts.models import Organisation, School, User
from socialguard.accounts.selectors import schools_of, staff_members_of
from socialguard.policy.models import (
    Acknowledgement,
    AcknowledgementReminder,
    Clause,
    PolicySection,
    PolicyVersion,
)


def policy_current(*, organisation: Organisation) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(organisation=organisation, is_current=True).first()


def policy_sections_with_clauses(*, version: PolicyVersion) -> list[PolicySection]:
    return list(
        version.sections.prefetch_related(
            Prefetch("clauses", queryset=Clause.objects.order_by("position"))
        ).order_by("position")
    )


def policy_review_overdue(*, version: PolicyVersion | None, today: date | None = None) -> bool:
    if version is None or version.next_review_on is None:
        return False
    return version.next_review_on < (today or date.today())


def policy_acknowledged_by(*, person: Any, version: PolicyVersion | None) -> Acknowledgement | None:
    if version is None or not person.is_authenticated:
        return None
    return Acknowledgement.objects.filter(person=person, version=version).first()


@dataclass(frozen=True)
class SchoolAcknowledgements:
    school: School | None
    acknowledged: list[tuple[User, Acknowledgement]]
    outstanding: list[User]

    @property
    def total(self) -> int:
        return len(self.acknowledged) + len(self.outstanding)


def policy_acknowledgement_status(
    *, organisation: Organisation, version: PolicyVersion
) -> list[SchoolAcknowledgements]:
    """Per school (and 'organisation-wide' for staff with no school): who has and has not."""
    acks = {
        a.person_id: a
        for a in Acknowledgement.objects.filter(version=version).only("person_id", "at")
    }
    staff = list(staff_members_of(organisation=organisation).select_related("school"))
    groups: list[SchoolAcknowledgements] = []
    for school in [*schools_of(organisation=organisation), None]:
        members = [p for p in staff if p.school_id == (school.pk if school else None)]
        if not members and school is None:
            continue
        groups.append(
            SchoolAcknowledgements(
                school=school,
                acknowledged=[(p, acks[p.pk]) for p in members if p.pk in acks],
                outstanding=[p for p in members if p.pk not in acks],
            )
        )
    return groups


def policy_review_open(*, organisation: Organisation) -> PolicyVersion | None:
    """The draft a review is preparing (started from the overdue card), if one is under way."""
    return (
        PolicyVersion.objects.filter(
            organisation=organisation,
            status=PolicyVersion.Status.DRAFT,
            review_assignee__isnull=False,
        )
        .select_related("review_assignee")
        .order_by("-created_at")
        .first()
    )


def policy_versions_published(*, organisation: Organisation) -> list[PolicyVersion]:
    """Every published version, newest first: earlier ones stay readable."""
    return list(
        PolicyVersion.objects.filter(
            organisation=organisation, status=PolicyVersion.Status.PUBLISHED
        ).order_by("-published_at", "-pk")
    )


def policy_drafts(*, organisation: Organisation) -> list[PolicyVersion]:
    return list(
        PolicyVersion.objects.filter(organisation=organisation, status=PolicyVersion.Status.DRAFT)
        .select_related("review_assignee", "imported_by")
        .order_by("-created_at")
    )


def policy_version_get(
    *, organisation: Organisation, pk: int, drafts: bool = False
) -> PolicyVersion | None:
    """A version of this organisation; drafts only where ``drafts`` (the policy's managers)."""
    query = PolicyVersion.objects.filter(organisation=organisation, pk=pk)
    if not drafts:
        query = query.filter(status=PolicyVersion.Status.PUBLISHED)
    return query.first()


def policy_previous_of(*, version: PolicyVersion) -> PolicyVersion | None:
    """What this version replaced (or, for a draft, what it would replace)."""
    if version.is_draft or version.published_at is None:
        return policy_current(organisation=version.organisation) or version.based_on
    return (
        PolicyVersion.objects.filter(
            organisation_id=version.organisation_id,
            status=PolicyVersion.Status.PUBLISHED,
            published_at__lt=version.published_at,
        )
        .order_by("-published_at", "-pk")
        .first()
    )


def policy_replaced_at(*, version: PolicyVersion) -> PolicyVersion | None:
    """The version published next after this one (None for the current one and drafts)."""
    if version.is_current or version.published_at is None:
        return None
    return (
        PolicyVersion.objects.filter(
            organisation_id=version.organisation_id,
            status=PolicyVersion.Status.PUBLISHED,
            published_at__gt=version.published_at,
        )
        .order_by("published_at", "pk")
        .first()
    )


def policy_version_in_force(*, organisation_id: int, at: datetime) -> PolicyVersion | None:
    """The published version staff were working to at ``at`` (None before the first)."""
    return (
        PolicyVersion.objects.filter(
            organisation_id=organisation_id,
            status=PolicyVersion.Status.PUBLISHED,
            published_at__lte=at,
        )
        .order_by("-published_at", "-pk")
        .first()
    )


# ---------------------------------------------------------------------------------------------
# Clause-level differences between two versions


@dataclass(frozen=True)
class ClauseChange:
    number: str
    kind: str  # "added" | "removed" | "changed" | "same"
    section: str
    old: Clause | None
    new: Clause | None
    old_parts: tuple[tuple[str, str], ...] = ()  # ("same" | "del", words)
    new_parts: tuple[tuple[str, str], ...] = ()  # ("same" | "ins", words)

    @property
    def obligation_changed(self) -> bool:
        return bool(self.old and self.new and self.old.obligation != self.new.obligation)


KIND_WORDS = {"added": "Added", "removed": "Removed", "changed": "Changed", "same": "Unchanged"}


def _words(text: str) -> list[str]:
    return text.split()


def _word_diff(
    old: str, new: str
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """Words struck out of the old text and added to the new, for the side-by-side view."""
    a, b = _words(old), _words(new)
    old_parts: list[tuple[str, str]] = []
    new_parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            old_parts.append(("same", " ".join(a[i1:i2])))
            new_parts.append(("same", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            old_parts.append(("del", " ".join(a[i1:i2])))
        if j2 > j1:
            new_parts.append(("ins", " ".join(b[j1:j2])))
    return tuple(old_parts), tuple(new_parts)


def policy_diff(*, old: PolicyVersion, new: PolicyVersion) -> list[ClauseChange]:
    """Clause by clause, by number, in the policy's order (1.1 ... 9.4, then A.1.1 ...): each
    removed clause where it stood. Whitespace alone is no change; a changed duty (should ->
    must) is."""
    old_by_number = {c.number: c for c in old.clauses.select_related("section")}
    new_by_number = {c.number: c for c in new.clauses.select_related("section")}
    changes: list[ClauseChange] = []
    for number in sorted(old_by_number.keys() | new_by_number.keys(), key=_number_order):
        before, after = old_by_number.get(number), new_by_number.get(number)
        if after is None:
            assert before is not None
            changes.append(ClauseChange(number, "removed", before.section.title, before, None))
        elif before is None:
            changes.append(ClauseChange(number, "added", after.section.title, None, after))
        elif _words(before.text) == _words(after.text) and before.obligation == after.obligation:
            changes.append(ClauseChange(number, "same", after.section.title, before, after))
        else:
            old_parts, new_parts = _word_diff(before.text, after.text)
            changes.append(
                ClauseChange(
                    number, "changed", after.section.title, before, after, old_parts, new_parts
                )
            )
    return changes


def _number_order(number: str) -> tuple[int, str, tuple[int, ...]]:
    """'6.11' after '6.2'; the appendices' 'A.5.6' after every numbered section."""
    head = number.split(".", 1)[0]
    appendix = "" if head.isdigit() else head
    return (1 if appendix else 0, appendix, tuple(int(p) for p in number.split(".") if p.isdigit()))


def policy_diff_counts(changes: list[ClauseChange]) -> dict[str, int]:
    counts = {kind: 0 for kind in KIND_WORDS}
    for change in changes:
        counts[change.kind] += 1
    return counts


def policy_changes_for(
    *, person: Any, version: PolicyVersion
) -> tuple[PolicyVersion | None, list[ClauseChange]]:
    """What changed for this person: since the last version they acknowledged, or else since
    the version this one replaced. Only the clauses that changed."""
    base: PolicyVersion | None = None
    if person.is_authenticated:
        last = (
            Acknowledgement.objects.filter(
                person=person, version__organisation=version.organisation
            )
            .exclude(version=version)
            .select_related("version")
            .order_by("-at")
            .first()
        )
        base = last.version if last else None
    base = base or policy_previous_of(version=version)
    if base is None:
        return None, []
    return base, [c for c in policy_diff(old=base, new=version) if c.kind != "same"]


def policy_last_reminders(*, people: list[User]) -> dict[int, datetime]:
    """When each person was last reminded to acknowledge (any version)."""
    found: dict[int, datetime] = {}
    for person_id, sent_at in AcknowledgementReminder.objects.filter(person__in=people).values_list(
        "person_id", "sent_at"
    ):
        if person_id not in found or sent_at > found[person_id]:
            found[person_id] = sent_at
    return found


def policy_timeline(organisation_id: int) -> list[tuple[datetime, str]]:
    """When each published version came into force and its page ("" for the current one, whose
    page is /policy/), oldest first: for links to the version in force at a decision's time."""
    rows = (
        PolicyVersion.objects.filter(
            organisation_id=organisation_id,
            status=PolicyVersion.Status.PUBLISHED,
            published_at__isnull=False,
        )
        .order_by("published_at", "pk")
        .values_list("published_at", "pk", "is_current")
    )
    return [
        (at, "" if current else reverse("policy:version", args=[pk]))
        for at, pk, current in rows
        if at is not None
    ]
