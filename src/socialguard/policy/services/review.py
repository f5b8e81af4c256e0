"""The review of the policy: a draft given to someone with a due date, and their reminders."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import Organisation, User
from socialguard.accounts.selectors import is_staff_member
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit
from socialguard.policy.models import (
    PolicyVersion,
)
from socialguard.policy.selectors import policy_review_open
from socialguard.policy.services._common import (
    _manager_of,
    _may_manage,
)
from socialguard.policy.services.drafts import (
    _copy_content,
    policy_next_label,
)


@transaction.atomic
def policy_review_start(
    *,
    organisation: Organisation,
    by: User,
    assignee: User,
    due_on: date,
    today: date | None = None,
) -> PolicyVersion:
    """Header, 'Next review date': a draft copied from the current version, for one person to
    prepare by a date. They are told now and reminded before the date and after it."""
    _manager_of(by, organisation)
    _may_manage(by)
    current = (
        PolicyVersion.objects.select_for_update()
        .filter(organisation=organisation, is_current=True)
        .first()
    )
    if current is None:
        raise ApplicationError(
            "There is no current policy to review: upload the school's policy instead.",
            code=ErrorCode.CONFLICT,
        )
    if assignee.organisation_id != organisation.pk or not is_staff_member(assignee):
        raise ApplicationError(
            "The review can only be given to a staff member or governor of the organisation.",
            code=ErrorCode.INVALID,
        )
    if due_on < (today or timezone.localdate()):
        raise ApplicationError("The due date has already passed: choose a later one.")
    open_review = policy_review_open(organisation=organisation)
    if open_review is not None:
        raise ApplicationError(
            f"A review is already under way ({open_review.label}); open it to carry on.",
            code=ErrorCode.CONFLICT,
        )
    draft = PolicyVersion.objects.create(
        organisation=organisation,
        title=current.title,
        version=policy_next_label(organisation=organisation),
        approved_by=current.approved_by,
        status=PolicyVersion.Status.DRAFT,
        source_name=f"Review of version {current.version}",
        imported_by=by,
        appendices=current.appendices,
        based_on=current,
        review_assignee=assignee,
        review_due_on=due_on,
    )
    _copy_content(current, draft)
    _tell_assignee(draft, late=False, first=True)
    audit_record(
        actor=by,
        action="policy.review.start",
        target=draft,
        details={
            "from_version": current.version,
            "assignee": assignee.pk,
            "due_on": due_on.isoformat(),
        },
    )
    return draft


def policy_review_remind(*, draft: PolicyVersion, late: bool) -> None:
    """The periodic check's reminder to the review's assignee (``policy.checks``)."""
    _tell_assignee(draft, late=late, first=False)
    audit_record(
        actor=None,
        action="policy.review.remind",
        target=draft,
        organisation_id=draft.organisation_id,
        details={"late": late, "assignee": draft.review_assignee_id},
    )


def _tell_assignee(draft: PolicyVersion, *, late: bool, first: bool) -> None:
    assert draft.review_assignee is not None and draft.review_due_on is not None
    if first:
        subject = f"You have been asked to review the {draft.title}"
    elif late:
        subject = f"The review of the {draft.title} is overdue"
    else:
        subject = f"The review of the {draft.title} is due soon"
    email_after_commit(
        recipients=[draft.review_assignee],
        subject=subject,
        template="policy/email/review_assigned.txt",
        context={
            "draft": draft,
            "late": late,
            "first": first,
            "link": reverse("policy:draft", args=[draft.pk]),
        },
        organisation_id=draft.organisation_id,
        category="policy.review.assigned" if first else "policy.review.reminder",
        key=f"policy.review:{draft.pk}:{'assigned' if first else ('late' if late else 'soon')}",
    )
