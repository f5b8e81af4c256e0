"""Roles: given, changed, ended; a new safeguarding lead announced and their access to earlier
concerns confirmed (A.2.3)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import (
    SAFEGUARDING_ROLES,
    Role,
    RoleAssignment,
    School,
    User,
)
from socialguard.accounts.selectors import access_lead_confirmation, role_grant_watchers
from socialguard.accounts.services._common import (
    _check_same_organisation,
)
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit


@transaction.atomic
def role_assign(
    *,
    user: User,
    role: str,
    school: School | None = None,
    year_group: str = "",
    starts_on: date | None = None,
    by: User | None,
) -> RoleAssignment:
    if user.organisation is None:
        raise ApplicationError("Give the person an organisation before assigning a role.")
    assignment = RoleAssignment(
        user=user,
        organisation=user.organisation,
        school=school,
        role=role,
        year_group=year_group,
        starts_on=starts_on or date.today(),
    )
    return role_assignment_save(assignment=assignment, by=by)


@transaction.atomic
def role_assignment_save(
    *, assignment: RoleAssignment, by: User | None, changed: Iterable[str] = ()
) -> RoleAssignment:
    """Save a new or changed role (the admin's role inline comes here too). A role given, or a
    row whose role changed, counts as given now by ``by``. Giving a safeguarding role tells the
    head teachers and the current leads at once, and the new lead opens only the concerns
    recorded from then on until an existing lead or the head teacher confirms (A.2.3).

    ``by=None`` is the deployment setting itself up (the demo loader, an operator's command),
    not a person of the organisation: such a role is confirmed as it is given, and nobody is
    e-mailed. Every web page passes the signed-in person."""
    user = assignment.user
    if user.organisation_id is None:
        raise ApplicationError("Give the person an organisation before assigning a role.")
    organisation = user.organisation
    assert organisation is not None
    assignment.organisation_id = organisation.pk
    _check_same_organisation(organisation, assignment.school)
    if (assignment.role == Role.PUPIL) != bool(assignment.year_group):
        raise ApplicationError("Pupils need a year group (R to 6); other roles must not have one.")
    if assignment.ends_on is not None and assignment.ends_on < assignment.starts_on:
        raise ApplicationError("A role ends on or after the day it starts.")
    new = assignment.pk is None
    granted = new or "role" in set(changed)
    if granted:
        assignment.granted_at, assignment.granted_by = timezone.now(), by
        assignment.confirmed_at = assignment.granted_at if by is None else None
        assignment.confirmed_by = None
    assignment.save()
    if granted:
        audit_record(
            actor=by,
            action="accounts.role.assign",
            target=user,
            details={
                "role": assignment.role,
                "school": assignment.school.name if assignment.school else "",
                "year_group": assignment.year_group,
                "starts_on": assignment.starts_on.isoformat(),
            },
        )
    else:
        audit_record(
            actor=by,
            action="accounts.role.change",
            target=user,
            details={
                "role": assignment.role,
                "fields": sorted(set(changed)),
                "ends_on": assignment.ends_on.isoformat() if assignment.ends_on else "",
            },
        )
    if granted and by is not None and assignment.role in SAFEGUARDING_ROLES:
        _tell_about_new_lead(assignment, by)
    return assignment


def _tell_about_new_lead(assignment: RoleAssignment, by: User | None) -> None:
    """A.2.3: a safeguarding role opens every child's record, so the head teachers and the
    current leads hear at once who was given one and by whom, whoever gave it."""
    organisation = assignment.organisation
    watchers = role_grant_watchers(organisation=organisation, exclude=[assignment.user_id])
    email_after_commit(
        recipients=watchers,
        subject=f"{assignment.user} was given the role {assignment.get_role_display()}",
        template="accounts/email/lead_granted.txt",
        context={
            "assignment": assignment,
            "by": by,
            "link": reverse("accounts:role_confirm", args=[assignment.pk]),
        },
        organisation_id=organisation.pk,
        category="accounts.role.safeguarding",
    )


@transaction.atomic
def lead_history_confirm(*, assignment: RoleAssignment, by: User) -> RoleAssignment:
    """An existing lead (one who opens the whole record) or the head teacher confirms that a
    new safeguarding lead may open the concerns recorded before their role began. Neither the
    new lead nor whoever gave them the role confirms it."""
    access_lead_confirmation(user=by, pk=assignment.pk)  # refuses whoever may not confirm
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.confirmed_at is not None:
        raise ApplicationError("This role is already confirmed.", code=ErrorCode.ALREADY_DONE)
    if not assignment.is_current() and (assignment.ends_on or date.max) <= date.today():
        raise ApplicationError("This role has ended: there is nothing to confirm.")
    assignment.confirmed_at, assignment.confirmed_by = timezone.now(), by
    assignment.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    audit_record(
        actor=by,
        action="accounts.role.confirm",
        target=assignment.user,
        clauses=["A.2.3"],
        details={"role": assignment.role, "assignment": assignment.pk},
    )
    return assignment


@transaction.atomic
def role_end(*, assignment: RoleAssignment, ends_on: date | None = None, by: User | None) -> None:
    assignment.ends_on = max(ends_on or date.today(), assignment.starts_on)
    assignment.save(update_fields=["ends_on", "updated_at"])
    audit_record(
        actor=by,
        action="accounts.role.end",
        target=assignment.user,
        details={"role": assignment.role, "ends_on": assignment.ends_on.isoformat()},
    )
