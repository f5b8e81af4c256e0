"""People: created, their line manager, their details, leaving (with the hooks other apps
register), and the deployment administrator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from socialguard.accounts.models import (
    Organisation,
    RoleAssignment,
    School,
    User,
)
from socialguard.accounts.services._common import (
    _check_same_organisation,
)
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode

# Other apps (sites: 6.7 removes a leaver from site roles) register what must happen when a
# person leaves; each hook runs inside the leaving transaction.
LeavingHook = Callable[[User, User | None], None]
_LEAVING_HOOKS: list[LeavingHook] = []


def register_leaving_hook(hook: LeavingHook) -> LeavingHook:
    if hook not in _LEAVING_HOOKS:
        _LEAVING_HOOKS.append(hook)
    return hook


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
