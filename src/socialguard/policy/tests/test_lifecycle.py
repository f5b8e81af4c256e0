"""The policy's life cycle through the services: a draft, its corrections, publishing, the diff,
re-acknowledgement and its reminders, the review and its reminders (issue 13)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.policy.checks import policy_review_check_all
from socialguard.policy.models import AcknowledgementReminder, Clause, PolicyVersion
from socialguard.policy.parser import parse_policy_text
from socialguard.policy.selectors import (
    policy_changes_for,
    policy_diff,
    policy_version_in_force,
)
from socialguard.policy.services import (
    policy_acknowledge,
    policy_acknowledgement_remind,
    policy_draft_clause_update,
    policy_draft_create,
    policy_draft_discard,
    policy_review_start,
    policy_version_publish,
)

pytestmark = pytest.mark.django_db

NEW_POLICY = """Social Media Policy

Version: 2
Approved by: FGB
Next review date: September 2028

1 INTRODUCTION
1.1 The internet provides a range of social media tools.
1.2 Staff must keep their personal and professional lives separate.

2 SCOPE
2.1 This policy applies to all staff members.
2.2 It also applies to volunteers.
"""


def _draft(cast, text: str = NEW_POLICY) -> PolicyVersion:  # type: ignore[no-untyped-def]
    return policy_draft_create(
        organisation=cast.organisation,
        parsed=parse_policy_text(text=text),
        source_name="ours.md",
        by=cast.head,
    )


def _publish(draft: PolicyVersion, by, **kw) -> PolicyVersion:  # type: ignore[no-untyped-def]
    values = {
        "label": draft.version,
        "approved_on": timezone.localdate() - timedelta(days=1),
        "approved_by": "FGB",
        "next_review_on": timezone.localdate() + timedelta(days=730),
        **kw,
    }
    return policy_version_publish(version=draft, by=by, **values)


def test_an_upload_is_a_draft_that_changes_nothing_for_staff(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(cast)
    policy_version.refresh_from_db()
    assert draft.is_draft and not draft.is_current and policy_version.is_current
    assert draft.label == "draft of version 2"
    assert draft.based_on == policy_version
    assert draft.parse_warnings == [
        {"line": 5, "message": "the header gives no date approved; enter it before publishing"}
    ]
    assert AuditEvent.objects.filter(action="policy.draft.create", target_id=str(draft.pk)).exists()


def test_a_draft_claiming_a_published_version_is_relabelled_with_a_warning(
    cast, policy_version
) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(cast, NEW_POLICY.replace("Version: 2", "Version: 1"))
    assert draft.version == "2"
    assert (
        "the header says version 1, which is already published"
        in draft.parse_warnings[0]["message"]
    )


def test_publish_records_approval_keeps_the_old_version_and_asks_staff(  # type: ignore[no-untyped-def]
    cast, policy_version, django_capture_on_commit_callbacks
) -> None:
    draft = _draft(cast)
    with django_capture_on_commit_callbacks(execute=True):
        published = _publish(draft, cast.head, approved_by="FGB")
    policy_version.refresh_from_db()
    assert published.is_current and not published.is_draft and not policy_version.is_current
    assert published.published_by == cast.head and published.approved_by == "FGB"
    assert policy_version.clauses.count() == 81  # the earlier version stays whole
    event = AuditEvent.objects.get(action="policy.version.publish", target_id=str(published.pk))
    assert event.details["replaces"] == "1" and event.details["approved_by"] == "FGB"
    subjects = {m.subject for m in mail.outbox}
    assert "Please read and acknowledge the Social Media Policy (version 2)" in subjects
    body = next(m.body for m in mail.outbox if "version 2" in m.subject)
    assert "/policy/changes/#acknowledge" in body and "It replaces version 1" in body


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"label": "1"}, "already published"),
        ({"label": ""}, "label"),
        ({"approved_by": ""}, "who approved it"),
        ({"approved_on": date(2099, 1, 1)}, "future"),
        ({"next_review_on": date(2000, 1, 1)}, "after the date it was approved"),
    ],
)
def test_publish_refuses_what_would_make_a_wrong_header(
    cast, policy_version, change, words
) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(cast)
    with pytest.raises(ApplicationError, match=words):
        _publish(draft, cast.head, **change)
    draft.refresh_from_db()
    assert draft.is_draft


def test_only_managers_publish_and_a_published_version_is_frozen(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(cast)
    with pytest.raises(ApplicationError) as error:
        _publish(draft, cast.teacher)
    assert error.value.code == ErrorCode.FORBIDDEN
    with pytest.raises(ApplicationError):
        _publish(draft, cast.outsider)
    published = _publish(draft, cast.admin)
    with pytest.raises(ApplicationError, match="can no longer be changed"):
        policy_draft_clause_update(
            clause=published.clauses.first(), by=cast.head, text="x", obligation="must"
        )
    with pytest.raises(ApplicationError, match="can no longer be changed"):
        policy_draft_discard(version=published, by=cast.head)


def test_correcting_a_clause_is_audited(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(cast)
    clause = draft.clauses.get(number="2.2")
    policy_draft_clause_update(
        clause=clause,
        by=cast.head,
        text="It also applies to volunteers and trainees.",
        obligation="must",
    )
    clause.refresh_from_db()
    assert (clause.text, clause.obligation) == (
        "It also applies to volunteers and trainees.",
        "must",
    )
    event = AuditEvent.objects.get(action="policy.draft.clause_change")
    assert event.details == {
        "clause": "2.2",
        "text_changed": True,
        "obligation": ["advice", "must"],
    }
    for bad in ({"text": " ", "obligation": "must"}, {"text": "x", "obligation": "shall"}):
        with pytest.raises(ApplicationError):
            policy_draft_clause_update(clause=clause, by=cast.head, **bad)


def test_clause_level_diff(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    old = _draft(cast)
    old = _publish(old, cast.head)
    new = _draft(
        cast,
        NEW_POLICY.replace("Version: 2", "Version: 3")
        .replace("2.2 It also applies to volunteers.\n", "")
        .replace("must keep their", "must always keep their")
        .replace("1.1 The internet provides", "1.1   The internet   provides")
        + "2.3 Governors must acknowledge it.\n",
    )
    policy_draft_clause_update(
        clause=new.clauses.get(number="2.1"),
        by=cast.head,
        text="This policy applies to all staff members.",
        obligation="must",
    )
    changes = {c.number: c for c in policy_diff(old=old, new=new)}
    assert changes["1.1"].kind == "same"  # whitespace alone is no change
    assert changes["1.2"].kind == "changed"
    assert ("ins", "always") in changes["1.2"].new_parts
    assert changes["2.1"].kind == "changed" and changes["2.1"].obligation_changed
    assert changes["2.2"].kind == "removed" and changes["2.2"].new is None
    assert changes["2.3"].kind == "added" and changes["2.3"].old is None
    assert [c.number for c in policy_diff(old=old, new=new)] == ["1.1", "1.2", "2.1", "2.2", "2.3"]


def test_staff_see_what_changed_since_the_version_they_acknowledged(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    policy_acknowledge(person=cast.teacher, version=policy_version)
    new = _publish(_draft(cast), cast.head)
    base, changes = policy_changes_for(person=cast.teacher, version=new)
    assert base == policy_version
    assert {c.kind for c in changes} <= {"added", "removed", "changed"}
    assert len(changes) > 70  # the short new policy removes most of the shipped one
    policy_version.refresh_from_db()
    with pytest.raises(ApplicationError, match="replaced"):
        policy_acknowledge(person=cast.teacher, version=policy_version)
    policy_acknowledge(person=cast.teacher, version=new)


def test_a_decision_links_to_the_version_in_force_at_its_time(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    before = timezone.now()
    new = _publish(_draft(cast), cast.head)
    assert policy_version_in_force(organisation_id=cast.organisation.pk, at=before) == (
        policy_version
    )
    assert policy_version_in_force(organisation_id=cast.organisation.pk, at=timezone.now()) == new
    assert (
        policy_version_in_force(
            organisation_id=cast.organisation.pk, at=before - timedelta(days=3650)
        )
        is None
    )


def test_reminders_go_to_those_who_have_not_acknowledged_at_most_weekly(  # type: ignore[no-untyped-def]
    cast, policy_version, django_capture_on_commit_callbacks
) -> None:
    policy_acknowledge(person=cast.teacher, version=policy_version)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        first = policy_acknowledgement_remind(
            organisation=cast.organisation, by=cast.head, school=cast.junior, now=now
        )
    assert [p.username for p in first.sent] == ["linemanager"] and first.skipped == []
    assert [m.to for m in mail.outbox] == [[cast.line_manager.email]]
    assert "Reminder: please acknowledge" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        again = policy_acknowledgement_remind(
            organisation=cast.organisation, by=cast.head, now=now + timedelta(days=6)
        )
    assert "linemanager" in [p.username for p in again.skipped]
    assert "linemanager" not in [p.username for p in again.sent]
    assert "teacher" not in [p.username for p in again.sent + again.skipped]
    week_later = policy_acknowledgement_remind(
        organisation=cast.organisation, by=cast.head, now=now + timedelta(days=7, minutes=1)
    )
    assert "linemanager" in [p.username for p in week_later.sent]
    assert AcknowledgementReminder.objects.filter(person=cast.line_manager).count() == 2
    events = AuditEvent.objects.filter(action="policy.acknowledgement.remind").order_by("at")
    assert events.count() == 3
    assert cast.line_manager.pk in events[1].details["skipped_recently_reminded"]


def test_reminders_are_for_managers_only(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    for who in (cast.teacher, cast.governor, cast.outsider):
        with pytest.raises(ApplicationError):
            policy_acknowledgement_remind(organisation=cast.organisation, by=who)
    assert not AcknowledgementReminder.objects.exists()


def test_a_review_copies_the_current_version_and_reminds_its_assignee(  # type: ignore[no-untyped-def]
    cast, policy_version, django_capture_on_commit_callbacks
) -> None:
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        draft = policy_review_start(
            organisation=cast.organisation,
            by=cast.head,
            assignee=cast.governor,
            due_on=today + timedelta(days=30),
        )
    assert draft.is_draft and draft.based_on == policy_version and draft.version == "2"
    assert draft.clauses.count() == 81 and draft.sections.count() == policy_version.sections.count()
    assert [c.text for c in draft.clauses.order_by("position")] == [
        c.text for c in policy_version.clauses.order_by("position")
    ]
    assert mail.outbox[-1].to == [cast.governor.email]
    assert "asked to review" in mail.outbox[-1].subject
    with pytest.raises(ApplicationError, match="already under way"):
        policy_review_start(
            organisation=cast.organisation,
            by=cast.head,
            assignee=cast.governor,
            due_on=today + timedelta(days=30),
        )
    # The assignee corrects clauses; a teacher who was not asked may not.
    clause = draft.clauses.get(number="1.4")
    policy_draft_clause_update(clause=clause, by=cast.governor, text="Changed.", obligation="must")
    with pytest.raises(ApplicationError):
        policy_draft_clause_update(clause=clause, by=cast.teacher, text="No.", obligation="must")

    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert policy_review_check_all(now=now) == []  # 30 days to go
        soon = policy_review_check_all(now=now + timedelta(days=24))
        assert policy_review_check_all(now=now + timedelta(days=25)) == []  # once per level
        late = policy_review_check_all(now=now + timedelta(days=31))
        assert policy_review_check_all(now=now + timedelta(days=60)) == []
    assert len(soon) == 1 and "due within a week" in soon[0]
    assert len(late) == 1 and "overdue" in late[0]
    subjects = [m.subject for m in mail.outbox if m.to == [cast.governor.email]]
    assert subjects[-2:] == [
        "The review of the Social Media Policy is due soon",
        "The review of the Social Media Policy is overdue",
    ]
    assert AuditEvent.objects.filter(action="policy.review.remind").count() == 2


@pytest.mark.parametrize("who", ["parent", "outsider"])
def test_a_review_goes_to_a_staff_member_of_the_organisation(cast, policy_version, who) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError):
        policy_review_start(
            organisation=cast.organisation,
            by=cast.head,
            assignee=getattr(cast, who),
            due_on=timezone.localdate() + timedelta(days=30),
        )
    assert not PolicyVersion.objects.filter(status="draft").exists()


def test_discarding_a_draft(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    draft = _draft(cast)
    with pytest.raises(ApplicationError):
        policy_draft_discard(version=draft, by=cast.teacher)
    policy_draft_discard(version=draft, by=cast.head)
    assert not PolicyVersion.objects.filter(pk=draft.pk).exists()
    assert not Clause.objects.filter(version_id=draft.pk).exists()
    assert AuditEvent.objects.filter(action="policy.draft.discard").count() == 1
