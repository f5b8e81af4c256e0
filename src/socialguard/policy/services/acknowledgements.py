"""Staff acknowledging each version (2.1), and reminders to those who have not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from socialguard.accounts.models import Organisation, School, User
from socialguard.accounts.selectors import is_staff_member
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit
from socialguard.policy.models import (
    Acknowledgement,
    AcknowledgementReminder,
    PolicyVersion,
)
from socialguard.policy.selectors import policy_acknowledgement_status
from socialguard.policy.services._common import (
    REMINDER_INTERVAL,
    _manager_of,
    _may_manage,
)


@transaction.atomic
def policy_acknowledge(*, person: User, version: PolicyVersion) -> Acknowledgement:
    """2.1: every staff member confirms they have read the current policy."""
    if person.organisation_id != version.organisation_id:
        raise ApplicationError(
            "This policy belongs to another organisation.", code=ErrorCode.FORBIDDEN
        )
    if not version.is_current:
        raise ApplicationError(
            "This version has been replaced; please read and acknowledge the current one.",
            code=ErrorCode.CONFLICT,
        )
    if not is_staff_member(person):
        raise ApplicationError(
            "Only staff members (2.1) acknowledge the policy.", code=ErrorCode.FORBIDDEN
        )
    existing = Acknowledgement.objects.filter(person=person, version=version).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(person=person, version=version)
    except IntegrityError:  # a double click that raced itself
        return Acknowledgement.objects.get(person=person, version=version)
    audit_record(
        actor=person,
        action="policy.acknowledge",
        target=version,
        clauses=["2.1"],
        details={"version": version.version},
    )
    return ack


@dataclass(frozen=True)
class ReminderResult:
    sent: list[User]
    skipped: list[User]  # reminded within the last week


@transaction.atomic
def policy_acknowledgement_remind(
    *,
    organisation: Organisation,
    by: User,
    school: School | None = None,
    now: datetime | None = None,
) -> ReminderResult:
    """Remind everyone (of one school, or all) who has not acknowledged the current version;
    nobody more than once a week. Sent after commit, one audit event for the whole action."""
    now = now or timezone.now()
    _manager_of(by, organisation)
    _may_manage(by)
    version = (
        PolicyVersion.objects.select_for_update()  # two heads clicking at once send once
        .filter(organisation=organisation, is_current=True)
        .first()
    )
    if version is None:
        raise ApplicationError(
            "There is no current policy to acknowledge.", code=ErrorCode.CONFLICT
        )
    if school is not None and school.organisation_id != organisation.pk:
        raise ApplicationError("That school is not part of this organisation.")
    groups = policy_acknowledgement_status(organisation=organisation, version=version)
    outstanding = [p for g in groups if school is None or g.school == school for p in g.outstanding]
    recent = set(
        AcknowledgementReminder.objects.filter(
            person__in=outstanding, sent_at__gt=now - REMINDER_INTERVAL
        ).values_list("person_id", flat=True)
    )
    sent = [p for p in outstanding if p.pk not in recent]
    skipped = [p for p in outstanding if p.pk in recent]
    AcknowledgementReminder.objects.bulk_create(
        AcknowledgementReminder(person=p, version=version, sent_at=now, sent_by=by) for p in sent
    )
    for person in sent:  # one message each: a reminder names nobody else
        email_after_commit(
            recipients=[person],
            subject=f"Reminder: please acknowledge the {version.title} (version {version.version})",
            template="policy/email/acknowledge_reminder.txt",
            context={"version": version, "organisation": organisation, "person": person},
            organisation_id=organisation.pk,
            category="policy.acknowledge_reminder",
        )
    audit_record(
        actor=by,
        action="policy.acknowledgement.remind",
        target=version,
        clauses=["2.1"],
        details={
            "school": school.pk if school else None,
            "reminded": sorted(p.pk for p in sent),
            "skipped_recently_reminded": sorted(p.pk for p in skipped),
        },
    )
    return ReminderResult(sent=sent, skipped=skipped)
