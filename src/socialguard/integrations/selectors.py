"""Reads for the integrations pages: who may use them, and the dry run of a roster import
(joiners, leavers and changes), worked out afresh from the database each time it is shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from socialguard.accounts.models import Organisation, Role, RoleAssignment, School, User
from socialguard.accounts.selectors import has_role
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.integrations import rosterfile
from socialguard.integrations.models import (
    RosterImport,
    RosterLink,
    RosterMapping,
    Webhook,
    WebhookDelivery,
)


def may_manage_integrations(user: Any) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def check_manager(*, user: User | None, organisation: Organisation) -> None:
    """Only the organisation's administrator (or an operator at the command line: None)."""
    if user is None:
        return
    if user.organisation_id != organisation.pk or not may_manage_integrations(user):
        raise ApplicationError(
            "Only the organisation's administrator imports the roster.", code=ErrorCode.FORBIDDEN
        )


def access_roster_import(*, user: User, pk: int) -> RosterImport:
    found = (
        RosterImport.objects.filter(pk=pk, organisation_id=user.organisation_id).first()
        if user.organisation_id is not None
        else None
    )
    if found is None or not may_manage_integrations(user):
        raise ApplicationError("There is no such import.", code=ErrorCode.NOT_FOUND)
    return found


def roster_imports_of(*, organisation: Organisation) -> QuerySet[RosterImport]:
    return RosterImport.objects.filter(organisation=organisation).select_related(
        "uploaded_by", "applied_by", "school"
    )[:20]


def webhook_of(*, organisation: Organisation) -> Webhook | None:
    return Webhook.objects.filter(organisation=organisation).first()


def webhook_deliveries(*, webhook: Webhook) -> QuerySet[WebhookDelivery]:
    return webhook.deliveries.all()[:50]


def roster_mapping_of(*, organisation: Organisation, kind: str) -> dict[str, str]:
    mapping = RosterMapping.objects.filter(organisation=organisation, kind=kind).first()
    return dict(mapping.columns) if mapping else {}


@dataclass
class Joiner:
    row: rosterfile.Row
    name: str
    detail: str


@dataclass
class Leaver:
    user: User
    detail: str


@dataclass
class Change:
    user: User
    row: rosterfile.Row
    what: list[str]
    link: RosterLink | None
    assignment: RoleAssignment | None


@dataclass
class Plan:
    kind: str
    joiners: list[Joiner] = field(default_factory=list)
    leavers: list[Leaver] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: list[tuple[User, rosterfile.Row, RosterLink | None]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "joiners": len(self.joiners),
            "leavers": len(self.leavers),
            "changes": len(self.changes),
            "unchanged": len(self.unchanged),
        }


def _current() -> Q:
    today = date.today()
    return Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gt=today))


def _links(organisation: Organisation, kind: str) -> dict[int, RosterLink]:
    return {
        link.user_id: link
        for link in RosterLink.objects.filter(organisation=organisation, kind=kind)
    }


def roster_plan(*, roster_import: RosterImport) -> Plan:
    rows = rosterfile.rows_from_data(roster_import.kind, roster_import.rows)
    if roster_import.kind == rosterfile.PUPILS:
        return _pupil_plan(roster_import.organisation, roster_import.school, rows)
    return _staff_plan(roster_import.organisation, rows)


def _pupil_plan(
    organisation: Organisation, school: School | None, rows: list[rosterfile.Row]
) -> Plan:
    plan = Plan(kind=rosterfile.PUPILS)
    current = RoleAssignment.objects.filter(
        _current(), organisation=organisation, role=Role.PUPIL
    ).select_related("user")
    if school is not None:
        current = current.filter(school=school)
    assignments = {a.user_id: a for a in current}
    links = _links(organisation, rosterfile.PUPILS)
    by_id = {link.external_id: uid for uid, link in links.items() if link.external_id}
    by_name = {
        f"{a.user.first_name}|{a.user.last_name}".casefold(): uid for uid, a in assignments.items()
    }
    matched: set[int] = set()
    for row in rows:
        assert isinstance(row, rosterfile.PupilRow)
        uid = by_id.get(row.external_id) if row.external_id else None
        if uid not in assignments:
            uid = by_name.get(f"{row.legal_first}|{row.legal_last}".casefold())
        if uid is None or uid in matched or uid not in assignments:
            plan.joiners.append(
                Joiner(row, f"{row.legal_first} {row.legal_last}", _pupil_detail(row))
            )
            continue
        matched.add(uid)
        assignment = assignments[uid]
        link = links.get(uid)
        what = _pupil_changes(assignment, link, row)
        if what:
            plan.changes.append(Change(assignment.user, row, what, link, assignment))
        else:
            plan.unchanged.append((assignment.user, row, link))
    for uid, assignment in assignments.items():
        if uid not in matched:
            plan.leavers.append(Leaver(assignment.user, f"Year {assignment.year_group}"))
    return plan


def _pupil_detail(row: rosterfile.PupilRow) -> str:
    year = "Reception" if row.year == "R" else f"Year {row.year}"
    known_as = ""
    if row.preferred_first and row.preferred_first != row.legal_first:
        known_as = f", known as {row.preferred_first}"
    return f"{year}{', class ' + row.class_name if row.class_name else ''}{known_as}"


def _pupil_changes(
    assignment: RoleAssignment, link: RosterLink | None, row: rosterfile.PupilRow
) -> list[str]:
    user = assignment.user
    what = []
    if (user.first_name, user.last_name) != (row.legal_first, row.legal_last):
        old, new = user.get_full_name(), f"{row.legal_first} {row.legal_last}"
        what.append(f"legal name {old} → {new}")
    if assignment.year_group != row.year:
        what.append(f"year group {assignment.year_group} → {row.year}")
    preferred = (link.preferred_first, link.preferred_last) if link else ("", "")
    if preferred != (row.preferred_first, row.preferred_last):
        shown = " ".join(p for p in (row.preferred_first, row.preferred_last) if p) or "none"
        what.append(f"preferred name → {shown}")
    if (link.class_name if link else "") != row.class_name:
        what.append(f"class → {row.class_name or 'none'}")
    return what


def _staff_plan(organisation: Organisation, rows: list[rosterfile.Row]) -> Plan:
    plan = Plan(kind=rosterfile.STAFF)
    people = {
        u.pk: u
        for u in User.objects.filter(
            organisation=organisation, left_on__isnull=True
        ).select_related("line_manager")
    }
    staff_ids = set(
        RoleAssignment.objects.filter(
            _current(), organisation=organisation, role=Role.STAFF
        ).values_list("user_id", flat=True)
    )
    links = _links(organisation, rosterfile.STAFF)
    by_id = {link.external_id: uid for uid, link in links.items() if link.external_id}
    by_email = {u.email.casefold(): uid for uid, u in people.items() if u.email}
    in_file = {row.email for row in rows if isinstance(row, rosterfile.StaffRow)}
    matched: set[int] = set()
    for row in rows:
        assert isinstance(row, rosterfile.StaffRow)
        if row.line_manager and row.line_manager not in in_file | set(by_email):
            plan.warnings.append(
                f"Line {row.line}: no line manager with the address {row.line_manager}; "
                "it is left as it is."
            )
        uid = by_id.get(row.external_id) if row.external_id else None
        if uid not in people:
            uid = by_email.get(row.email)
        if uid is None or uid in matched:
            plan.joiners.append(Joiner(row, f"{row.first} {row.last}", row.role or row.email))
            continue
        matched.add(uid)
        user = people[uid]
        what = _staff_changes(user, row)
        if what:
            plan.changes.append(Change(user, row, what, links.get(uid), None))
        else:
            plan.unchanged.append((user, row, links.get(uid)))
    for uid in sorted(staff_ids - matched, key=lambda u: str(people.get(u, ""))):
        if uid in people:
            plan.leavers.append(Leaver(people[uid], people[uid].position or "Staff member"))
    return plan


def _staff_changes(user: User, row: rosterfile.StaffRow) -> list[str]:
    what = []
    if (user.first_name, user.last_name) != (row.first, row.last):
        what.append(f"name {user.first_name} {user.last_name} → {row.first} {row.last}")
    if user.email.casefold() != row.email:
        what.append(f"e-mail → {row.email}")
    if row.role and user.position != row.role:
        what.append(f"role → {row.role}")
    manager = user.line_manager.email.casefold() if user.line_manager else ""
    if row.line_manager and manager != row.line_manager:
        what.append(f"line manager → {row.line_manager}")
    return what
