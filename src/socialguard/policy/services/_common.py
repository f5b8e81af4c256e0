"""What the policy's writes share: the review period, the reminder interval, the default
approver, the labels already published and who may manage the policy."""

from __future__ import annotations

from datetime import timedelta

from socialguard.accounts.models import Organisation, User
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.policy.models import PolicyVersion

# The shipped policy's header: approved April 2017, next review April 2019.
REVIEW_PERIOD_YEARS = 2
# 2.1: a reminder to acknowledge at most once a week per person, however often it is asked.
REMINDER_INTERVAL = timedelta(days=7)
# A review's assignee is reminded a week before its due date, and once it has passed.
REVIEW_DUE_SOON = timedelta(days=7)
DEFAULT_APPROVER = "FGB"  # the seed's "Approved By": the full governing body


def _published_labels(organisation: Organisation) -> set[str]:
    return set(
        PolicyVersion.objects.filter(
            organisation=organisation, status=PolicyVersion.Status.PUBLISHED
        ).values_list("version", flat=True)
    )


def _manager_of(person: User | None, organisation: Organisation) -> None:
    if person is None or person.organisation_id != organisation.pk:
        raise ApplicationError(
            "This policy belongs to another organisation.", code=ErrorCode.FORBIDDEN
        )


def _may_manage(person: User) -> None:
    if not person.has_perm("policy.manage"):
        raise ApplicationError(
            "Only the head teacher and administrators publish, review or discard the policy.",
            code=ErrorCode.FORBIDDEN,
        )
