"""Reading the policy and who has acknowledged it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch

from socialguard.accounts.models import Organisation, School, User
from socialguard.accounts.selectors import schools_of, staff_members_of
from socialguard.policy.models import Acknowledgement, Clause, PolicySection, PolicyVersion


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
