"""Closed concerns are kept for the organisation's retention period, then deleted whole; the
audit trail keeps the fact, never the content."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.core.errors import ApplicationError
from socialguard.safeguarding import services
from socialguard.safeguarding.models import (
    Concern,
    ConcernAction,
    ConcernEntry,
    ConcernEvidence,
    ConcernPupil,
    Referral,
)
from socialguard.safeguarding.retention import (
    concern_delete_for_retention,
    concerns_due_for_deletion,
)
from socialguard.safeguarding.tests.conftest import ACCOUNT, record

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 2)


def _closed(cast, years_ago: float, **kwargs) -> Concern:  # type: ignore[no-untyped-def]
    concern = record(cast, **kwargs)
    services.concern_close(concern=concern, by=cast.dsl, outcome="No further action.")
    when = timezone.make_aware(datetime(2026, 3, 2, 9)) - timedelta(days=365.25 * years_ago)
    Concern.objects.filter(pk=concern.pk).update(closed_at=when)
    concern.refresh_from_db()
    return concern


def test_only_closed_concerns_past_the_period_are_due(cast):
    old = _closed(cast, 26)
    _closed(cast, 24)  # within 25 years
    record(cast)  # open
    assert list(concerns_due_for_deletion(organisation=cast.organisation, today=TODAY)) == [old]


def test_the_period_is_the_organisations(cast):
    cast.organisation.concern_retention_years = 1
    cast.organisation.save()
    recent = _closed(cast, 1.2)
    assert list(concerns_due_for_deletion(organisation=cast.organisation, today=TODAY)) == [recent]


def test_other_organisations_concerns_are_not_listed(cast):
    _closed(cast, 30)
    assert not concerns_due_for_deletion(organisation=cast.outsider.organisation, today=TODAY)


def test_a_leap_day_today_counts_back_safely(cast):
    old = _closed(cast, 30)
    due = concerns_due_for_deletion(organisation=cast.organisation, today=date(2028, 2, 29))
    assert list(due) == [old]


def test_deletion_removes_everything_and_audits_only_the_fact(cast):
    concern = _closed(cast, 30)
    services.concern_reopen(concern=concern, by=cast.dsl, reason="Checking")
    services.concern_entry_add(concern=concern, by=cast.dsl, body="Secret follow-up note")
    services.concern_action_assign(
        concern=concern,
        by=cast.dsl,
        description="Check in",
        assignee=cast.teacher,
        due_on=timezone.localdate(),
    )
    services.concern_referral_record(
        concern=concern, by=cast.dsl, agency="lado", made_on=timezone.localdate()
    )
    services.concern_evidence_add(
        concern=concern, by=cast.dsl, upload=SimpleUploadedFile("a.txt", b"evidence")
    )
    services.concern_close(concern=concern, by=cast.dsl, outcome="Done")
    Concern.objects.filter(pk=concern.pk).update(
        closed_at=timezone.now() - timedelta(days=365 * 30)
    )
    reference = concern.reference

    concern_delete_for_retention(concern=concern, by=cast.admin)

    assert not Concern.objects.filter(pk=concern.pk).exists()
    for model in (ConcernEntry, ConcernAction, Referral, ConcernEvidence, ConcernPupil):
        assert not model.objects.exists(), model
    event = AuditEvent.objects.get(action="safeguarding.concern.deleted_for_retention")
    assert event.actor == cast.admin and event.target_repr == reference
    assert event.details["reference"] == reference
    assert event.details["school"] == cast.junior.name
    assert event.details["counts"]["referrals"] == 1 and event.details["counts"]["evidence"] == 1
    assert event.details["closed_at"] and event.details["created_at"]
    text = json.dumps(event.details)
    for secret in (ACCOUNT, "Secret follow-up", cast.pupil.first_name, cast.pupil.last_name):
        assert secret not in text


def test_deletion_refuses_what_is_not_due(cast):
    recent = _closed(cast, 2)
    with pytest.raises(ApplicationError):
        concern_delete_for_retention(concern=recent)
    with pytest.raises(ApplicationError):
        concern_delete_for_retention(concern=record(cast))
    assert Concern.objects.count() == 2
