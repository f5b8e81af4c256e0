"""Changing organisations, schools, people and roles. Each service is one transaction that
writes one audit event."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import (
    SAFEGUARDING_ROLES,
    Organisation,
    Role,
    RoleAssignment,
    School,
    User,
)
from socialguard.accounts.selectors import access_lead_confirmation, role_grant_watchers
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit

# Other apps (sites: 6.7 removes a leaver from site roles) register what must happen when a
# person leaves; each hook runs inside the leaving transaction.
LeavingHook = Callable[[User, User | None], None]
_LEAVING_HOOKS: list[LeavingHook] = []


def register_leaving_hook(hook: LeavingHook) -> LeavingHook:
    if hook not in _LEAVING_HOOKS:
        _LEAVING_HOOKS.append(hook)
    return hook


@transaction.atomic
def organisation_create(
    *,
    name: str,
    slug: str,
    kind: str = Organisation.Kind.FEDERATION,
    website: str = "",
    email_domains: list[str] | None = None,
    official_phones: list[str] | None = None,
    official_addresses: list[str] | None = None,
    by: User | None,
) -> Organisation:
    if Organisation.objects.filter(slug=slug).exists():
        raise ApplicationError(
            f"An organisation called '{slug}' already exists.", code=ErrorCode.CONFLICT
        )
    organisation = Organisation.objects.create(
        name=name,
        slug=slug,
        kind=kind,
        website=website,
        email_domains=email_domains or [],
        official_phones=official_phones or [],
        official_addresses=official_addresses or [],
    )
    audit_record(actor=by, action="accounts.organisation.create", target=organisation)
    return organisation


@transaction.atomic
def school_create(
    *,
    organisation: Organisation,
    name: str,
    slug: str,
    website: str = "",
    phone: str = "",
    address: str = "",
    by: User | None,
) -> School:
    school = School.objects.create(
        organisation=organisation,
        name=name,
        slug=slug,
        website=website,
        phone=phone,
        address=address,
    )
    audit_record(actor=by, action="accounts.school.create", target=school)
    return school


def _check_same_organisation(organisation: Organisation, *others: object) -> None:
    for other in others:
        if other is not None and getattr(other, "organisation_id", None) != organisation.pk:
            raise ApplicationError(
                f"{other} belongs to another organisation.", code=ErrorCode.FORBIDDEN
            )


@transaction.atomic
def person_create(
    *,
    organisation: Organisation,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    position: str = "",
    school: School | None = None,
    line_manager: User | None = None,
    password: str | None = None,
    by: User | None,
) -> User:
    _check_same_organisation(organisation, school, line_manager)
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(f"The username '{username}' is taken.", code=ErrorCode.CONFLICT)
    person = User(
        organisation=organisation,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        position=position,
        school=school,
        line_manager=line_manager,
    )
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.save()
    audit_record(
        actor=by,
        action="accounts.person.create",
        target=person,
        details={"position": position, "school": school.name if school else ""},
    )
    return person


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


@transaction.atomic
def line_manager_set(*, user: User, line_manager: User | None, by: User | None) -> None:
    """Record who is whose line manager; the first sign-off of a site proposal goes to them."""
    if line_manager is not None:
        if user.organisation is None:
            raise ApplicationError("Give the person an organisation first.")
        _check_same_organisation(user.organisation, line_manager)
        manager: User | None = line_manager
        while manager is not None:  # refuse cycles: nobody manages their own manager
            if manager.pk == user.pk:
                raise ApplicationError(f"{line_manager} is managed (directly or not) by {user}.")
            manager = manager.line_manager
    user.line_manager = line_manager
    user.save(update_fields=["line_manager"])
    audit_record(
        actor=by,
        action="accounts.person.line_manager",
        target=user,
        details={"line_manager": str(line_manager) if line_manager else ""},
    )


@transaction.atomic
def person_leave(*, user: User, left_on: date | None = None, by: User | None) -> None:
    """6.7: a leaver keeps their record but loses their roles and everything that hangs on them."""
    left_on = left_on or date.today()
    user.left_on = left_on
    user.save(update_fields=["left_on"])
    for assignment in RoleAssignment.objects.filter(user=user, ends_on__isnull=True):
        assignment.ends_on = max(left_on, assignment.starts_on)
        assignment.save(update_fields=["ends_on", "updated_at"])
    audit_record(
        actor=by,
        action="accounts.person.leave",
        target=user,
        clauses=["6.7"],
        details={"left_on": left_on.isoformat()},
    )
    for hook in _LEAVING_HOOKS:
        hook(user, by)


@transaction.atomic
def deployment_admin_create(*, username: str, email: str = "", password: str) -> User:
    """Create a deployment administrator (a superuser with no organisation), checking the
    username, the e-mail address and the password against the deployment's validators first.

    The event goes on the global audit chain, since the new administrator belongs to no
    organisation; the actor is "system", as the command line has no signed-in person."""
    username = username.strip()
    email = email.strip()
    if not username:
        raise ApplicationError("Give the administrator a username.")
    try:
        User.username_validator(username)
    except ValidationError:
        raise ApplicationError(
            f"'{username}' is not a valid username: use letters, digits and @ . + - _ only."
        ) from None
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ApplicationError(f"'{email}' is not an e-mail address.") from None
    if User.objects.filter(username=username).exists():
        raise ApplicationError(
            f"A user called '{username}' already exists.", code=ErrorCode.CONFLICT
        )
    try:
        validate_password(password, user=User(username=username, email=email))
    except ValidationError as error:
        raise ApplicationError(
            "The password is too weak: " + " ".join(error.messages), detail=error.messages
        ) from None
    try:
        with transaction.atomic():
            admin = User.objects.create_superuser(username=username, email=email, password=password)
    except IntegrityError:  # created by someone else between the check and the insert
        raise ApplicationError(
            f"A user called '{username}' already exists.", code=ErrorCode.CONFLICT
        ) from None
    audit_record(
        actor=None,
        action="accounts.deployment_admin.create",
        target=admin,
        target_repr=username,
        details={"username": username},
    )
    return admin


_DETAIL_FIELDS = ("first_name", "last_name", "email", "position")


@transaction.atomic
def person_details_update(
    *,
    user: User,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
    position: str | None = None,
    by: User | None,
) -> list[str]:
    """Change a person's names, e-mail address or position (a roster import from the MIS, where
    the school keeps them). Returns the fields that changed; nothing changed writes nothing."""
    wanted = {"first_name": first_name, "last_name": last_name, "email": email}
    wanted["position"] = position
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ApplicationError(f"'{email}' is not an e-mail address.") from None
    changed = [f for f in _DETAIL_FIELDS if wanted[f] is not None and getattr(user, f) != wanted[f]]
    if not changed:
        return []
    before = {f: getattr(user, f) for f in changed}
    for field in changed:
        setattr(user, field, wanted[field])
    user.save(update_fields=changed)
    audit_record(
        actor=by,
        action="accounts.person.update",
        target=user,
        details={"fields": changed, "before": before},
    )
    return changed
