"""Named people on a case: access given and withdrawn (need to know)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.accounts.selectors import is_staff_member
from socialguard.audit.services import audit_record
from socialguard.cases.models import (
    CaseAccess,
)
from socialguard.cases.permissions import (
    can_manage_access,
)
from socialguard.core.errors import ApplicationError, ErrorCode


@transaction.atomic
def case_access_grant(*, user: User, by: User) -> CaseAccess:
    """The head teacher names someone to handle breach cases (audited)."""
    if not can_manage_access(by):
        raise ApplicationError(
            "Only the head teacher names case handlers.", code=ErrorCode.FORBIDDEN
        )
    org_id = by.organisation_id
    if org_id is None or user.organisation_id != org_id or not user.is_active:
        raise ApplicationError("Choose someone in your organisation.", code=ErrorCode.NOT_FOUND)
    if not is_staff_member(user):
        raise ApplicationError("Only staff members and governors can handle breach cases.")
    existing = (
        CaseAccess.objects.select_for_update()
        .filter(organisation_id=org_id, user=user, revoked_at__isnull=True)
        .first()
    )
    if existing is not None:
        raise ApplicationError(f"{user} can already handle cases.", code=ErrorCode.ALREADY_DONE)
    access = CaseAccess.objects.create(organisation_id=org_id, user=user, granted_by=by)
    audit_record(
        actor=by,
        action="cases.access.grant",
        target=access,
        clauses=["9.1"],
        details={"user": user.pk},
    )
    return access


@transaction.atomic
def case_access_revoke(*, access: CaseAccess, by: User) -> CaseAccess:
    if not can_manage_access(by) or access.organisation_id != by.organisation_id:
        raise ApplicationError(
            "Only the head teacher names case handlers.", code=ErrorCode.FORBIDDEN
        )
    access = CaseAccess.objects.select_for_update().get(pk=access.pk)
    if access.revoked_at is not None:
        raise ApplicationError("That access has already ended.", code=ErrorCode.ALREADY_DONE)
    access.revoked_at, access.revoked_by = timezone.now(), by
    access.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=by,
        action="cases.access.revoke",
        target=access,
        clauses=["9.1"],
        details={"user": access.user_id},
    )
    return access
