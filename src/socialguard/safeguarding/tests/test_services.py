"""Recording concerns, from the form and from the review queue, and keeping the record
(A.2.3, A.5.6)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.tests.factories import person_with_roles
from socialguard.safeguarding import services
from socialguard.safeguarding.escalations import concern_from_escalation
from socialguard.safeguarding.models import (
    Concern,
    ConcernEntry,
    ConcernEvidence,
    Escalation,
    Referral,
)
from socialguard.safeguarding.selectors import chronology
from socialguard.safeguarding.tests.conftest import ACCOUNT, CHILD_WORDS, DISCLOSURE, record

pytestmark = pytest.mark.django_db


def _audit(concern: Concern) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(target_type="safeguarding.concern", target_id=str(concern.pk))
    )


def _never_leaks(cast, text: str) -> None:  # type: ignore[no-untyped-def]
    for secret in (ACCOUNT, CHILD_WORDS, DISCLOSURE, "uncle", "hits me", "pushes"):
        assert secret not in text
    for name in (cast.pupil.first_name, cast.pupil.last_name, cast.pupil.get_full_name()):
        assert name not in text


# --- Recording from the form ---------------------------------------------------------------


def test_a_teacher_records_a_concern_and_the_leads_get_category_and_link_only(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = record(cast, categories=["disclosure_abuse", "bullying"])

    year = timezone.localdate().year
    assert concern.reference == f"SG-{year}-0001"
    assert concern.reporter == cast.teacher and concern.school == cast.junior
    assert [link.pupil for link in concern.pupils.all()] == [cast.pupil]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.dsl.email]  # the DSL for Stafford Junior (the deputy is Roselands')
    assert "Possible disclosure of abuse" in message.subject
    assert "Possible disclosure of abuse, Bullying" in message.body
    assert reverse("safeguarding:concern", args=[concern.pk]) in message.body
    _never_leaks(cast, message.subject + message.body)


def test_the_audit_event_keeps_the_fact_not_the_content(cast, concern):
    (event,) = _audit(concern)
    assert event.action == "safeguarding.concern.recorded"
    assert event.clauses == ["A.2.3", "A.5.6"]
    assert event.details["reference"] == concern.reference and event.details["pupils"] == 1
    _never_leaks(cast, json.dumps(event.details) + event.target_repr)


def test_references_count_up_within_the_organisation(cast):
    first, second = record(cast), record(cast)
    assert first.reference.endswith("-0001") and second.reference.endswith("-0002")


def test_a_pupil_not_on_the_list_is_recorded_by_name(cast):
    concern = record(cast, pupils=[], unlisted_pupils=["Jamie Doe (visiting cousin)"])
    (link,) = concern.pupils.all()
    assert link.pupil is None and link.name_if_not_listed == "Jamie Doe (visiting cousin)"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pupils": [], "unlisted_pupils": []}, "which pupil"),
        ({"categories": []}, "what kind"),
        ({"categories": ["bullying", "self_harm", "other", "radicalisation"]}, "up to three"),
        ({"categories": ["made_up"]}, "from the list"),
        ({"account": "   "}, "own words"),
        ({"occurred_at": timezone.now() + timedelta(days=1)}, "future"),
    ],
)
def test_an_incomplete_concern_is_refused(cast, overrides, message):
    with pytest.raises(ApplicationError) as refused:
        record(cast, **overrides)
    assert message in refused.value.message
    assert not Concern.objects.exists()


def test_a_pupil_of_another_organisation_cannot_be_named_from_the_list(cast):
    stranger = person_with_roles("pupil", organisation=cast.outsider.organisation)
    with pytest.raises(ApplicationError):
        record(cast, pupils=[stranger])


@pytest.mark.parametrize("role", ["parent", "pupil"])
def test_only_staff_members_record_concerns(cast, role):
    with pytest.raises(ApplicationError) as refused:
        record(cast, by=getattr(cast, role))
    assert refused.value.code == ErrorCode.FORBIDDEN


def test_a_contractor_is_a_staff_member_and_may_record(cast):
    assert record(cast, by=cast.contractor).reporter == cast.contractor  # 2.1


# --- Recording from a review item -----------------------------------------------------------


def test_a_review_item_becomes_a_concern_with_its_evidence_in_one_action(
    cast, raised_item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = concern_from_escalation(by=cast.dsl, escalation=raised_item)

    assert concern.source == Concern.Source.REVIEW_ITEM and concern.escalation == raised_item
    assert concern.categories == [raised_item.category] == ["disclosure_abuse"]
    assert [link.pupil for link in concern.pupils.all()] == [cast.pupil]  # the author
    assert concern.child_words == DISCLOSURE  # the pupil's own words, exactly
    (evidence,) = concern.evidence.all()
    assert evidence.source_type == ConcernEvidence.SourceType.REVIEW_ITEM
    assert evidence.sha256 == raised_item.evidence["sha256"]
    assert evidence.content == raised_item.evidence and evidence.verify()
    raised_item.refresh_from_db()
    assert raised_item.acknowledged_by == cast.dsl  # recording it is acknowledging it
    assert concern.acknowledged_by == cast.dsl and concern.acknowledged_at
    assert [m.to for m in mail.outbox] == [[cast.dsl.email]]
    _never_leaks(cast, mail.outbox[0].subject + mail.outbox[0].body)


def test_one_item_makes_one_concern(cast, raised_item):
    first = concern_from_escalation(by=cast.dsl, escalation=raised_item)
    again = concern_from_escalation(by=cast.deputy_dsl, escalation=raised_item)
    assert again == first and Concern.objects.count() == 1


def test_tampered_evidence_is_refused(cast, raised_item):
    Escalation.objects.filter(pk=raised_item.pk).update(
        evidence={**raised_item.evidence, "content": "nothing happened"}
    )
    with pytest.raises(ApplicationError) as refused:
        concern_from_escalation(by=cast.dsl, escalation=raised_item)
    assert refused.value.code == ErrorCode.CONFLICT and not Concern.objects.exists()


@pytest.mark.parametrize("role", ["comms", "head", "teacher"])
def test_only_safeguarding_leads_record_from_a_review_item(cast, raised_item, role):
    with pytest.raises(ApplicationError) as refused:
        concern_from_escalation(by=getattr(cast, role), escalation=raised_item)
    assert refused.value.code == ErrorCode.FORBIDDEN


# --- Keeping the record --------------------------------------------------------------------


def test_updates_actions_and_referrals_are_appended_in_order(cast, concern):
    services.concern_entry_add(concern=concern, by=cast.dsl, body="Spoke to mum.")
    services.concern_entry_add(
        concern=concern, by=cast.deputy_dsl, kind="correction", body="It was Tuesday, not Monday."
    )
    action = services.concern_action_assign(
        concern=concern,
        by=cast.dsl,
        description="Check attendance",
        assignee=cast.teacher,
        due_on=timezone.localdate() + timedelta(days=2),
    )
    services.concern_action_complete(action=action, by=cast.deputy_dsl)
    referral = services.concern_referral_record(
        concern=concern,
        by=cast.dsl,
        agency="ceop",
        made_on=timezone.localdate(),
        reference="CEOP-123",
    )
    services.concern_referral_outcome(referral=referral, by=cast.dsl, outcome="Police informed.")

    action.refresh_from_db()
    assert action.done_by == cast.deputy_dsl and action.done_at is not None
    referral.refresh_from_db()
    assert referral.outcome == "Police informed." and referral.outcome_recorded_at
    kinds = [m.kind for m in chronology(concern)]
    assert kinds[:2] == ["occurred", "recorded"]
    assert kinds[2:] == ["update", "correction", "action", "action", "referral", "referral"]
    bodies = [m.body for m in chronology(concern)]
    assert "Referred to CEOP (Child Exploitation and Online Protection)" in bodies[-2]
    assert "CEOP-123" in bodies[-2]
    concern.refresh_from_db()
    assert concern.account == ACCOUNT  # never touched
    assert [e.action for e in _audit(concern)] == [
        "safeguarding.concern.recorded",
        "safeguarding.concern.entry_added",
        "safeguarding.concern.entry_added",
        "safeguarding.concern.action_assigned",
        "safeguarding.concern.action_done",
        "safeguarding.concern.referral_recorded",
        "safeguarding.concern.referral_outcome",
    ]
    for event in _audit(concern):
        assert "Spoke to mum" not in json.dumps(event.details)
        assert "Tuesday" not in json.dumps(event.details)


def test_an_action_is_done_once(cast, concern):
    action = services.concern_action_assign(
        concern=concern,
        by=cast.dsl,
        description="Call home",
        assignee=cast.teacher,
        due_on=timezone.localdate(),
    )
    services.concern_action_complete(action=action, by=cast.dsl)
    with pytest.raises(ApplicationError) as refused:
        services.concern_action_complete(action=action, by=cast.dsl)
    assert refused.value.code == ErrorCode.ALREADY_DONE


def test_actions_go_to_staff_and_not_into_the_past(cast, concern):
    kwargs = {"concern": concern, "by": cast.dsl, "description": "Call home"}
    with pytest.raises(ApplicationError):
        services.concern_action_assign(**kwargs, assignee=cast.parent, due_on=timezone.localdate())
    with pytest.raises(ApplicationError):
        services.concern_action_assign(
            **kwargs, assignee=cast.teacher, due_on=timezone.localdate() - timedelta(days=1)
        )


def test_a_referral_names_a_known_agency(cast, concern):
    with pytest.raises(ApplicationError):
        services.concern_referral_record(
            concern=concern, by=cast.dsl, agency="newspaper", made_on=timezone.localdate()
        )
    assert not Referral.objects.exists()


def test_close_and_reopen_are_the_dsls_and_audited(cast, concern):
    with pytest.raises(ApplicationError):
        services.concern_close(concern=concern, by=cast.dsl, outcome=" ")
    with pytest.raises(ApplicationError) as refused:
        services.concern_close(concern=concern, by=cast.deputy_dsl, outcome="Resolved")
    assert refused.value.code == ErrorCode.FORBIDDEN

    services.concern_close(concern=concern, by=cast.dsl, outcome="Early Help in place.")
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED and concern.closed_by == cast.dsl
    assert concern.closed_at is not None and concern.outcome == "Early Help in place."
    with pytest.raises(ApplicationError):  # a closed concern takes no new referral
        services.concern_referral_record(
            concern=concern, by=cast.dsl, agency="police", made_on=timezone.localdate()
        )
    with pytest.raises(ApplicationError):
        services.concern_reopen(concern=concern, by=cast.dsl, reason="")

    services.concern_reopen(concern=concern, by=cast.dsl, reason="New disclosure today.")
    concern.refresh_from_db()
    assert concern.is_open and concern.closed_at is None
    actions = [e.action for e in _audit(concern)]
    assert actions[-2:] == ["safeguarding.concern.closed", "safeguarding.concern.reopened"]
    reopened = _audit(concern)[-1]
    assert reopened.actor == cast.dsl and reopened.details["closed_at"]
    kinds = [e.kind for e in concern.entries.all()]
    assert kinds == [ConcernEntry.Kind.CLOSED, ConcernEntry.Kind.REOPENED]


def test_sharing_with_the_head_teacher_is_granted_revoked_and_audited(cast, concern):
    with pytest.raises(ApplicationError):
        services.concern_head_access_set(concern=concern, by=cast.dsl, allowed=True, reason="")
    services.concern_head_access_set(
        concern=concern, by=cast.dsl, allowed=True, reason="Staff conduct may be involved."
    )
    concern.refresh_from_db()
    assert concern.head_teacher_may_view
    services.concern_head_access_set(concern=concern, by=cast.dsl, allowed=False)
    concern.refresh_from_db()
    assert not concern.head_teacher_may_view
    assert [e.action for e in _audit(concern)][-2:] == [
        "safeguarding.concern.head_access_granted",
        "safeguarding.concern.head_access_revoked",
    ]


def test_the_first_lead_to_open_a_new_concern_acknowledges_it(cast, concern, client):
    services.concern_head_access_set(concern=concern, by=cast.dsl, allowed=True, reason="Staff")
    path = reverse("safeguarding:concern", args=[concern.pk])
    client.force_login(cast.head)
    assert client.get(path).status_code == 200
    concern.refresh_from_db()
    assert concern.acknowledged_at is None  # the head teacher reading it is not the DSL acting
    client.force_login(cast.deputy_dsl)
    client.get(path)
    client.force_login(cast.dsl)
    client.get(path)
    concern.refresh_from_db()
    assert concern.acknowledged_by == cast.deputy_dsl and concern.acknowledged_at
    actions = [e.action for e in _audit(concern)]
    assert actions.count("safeguarding.concern.acknowledged") == 1
    assert "safeguarding.concern.viewed_shared" in actions  # the head teacher's reading


def test_reading_a_closed_concern_again_is_audited(cast, concern, client):
    services.concern_close(concern=concern, by=cast.dsl, outcome="No further action.")
    client.force_login(cast.deputy_dsl)
    assert client.get(reverse("safeguarding:concern", args=[concern.pk])).status_code == 200
    viewed = _audit(concern)[-1]
    assert viewed.action == "safeguarding.concern.viewed_closed"
    assert viewed.actor == cast.deputy_dsl


def test_the_demo_has_concerns_in_every_state(db):
    from socialguard.core.demo import demo_federation_load

    demo_federation_load()
    concerns = list(Concern.objects.all())
    assert len(concerns) == 4
    assert all(c.account.startswith("[Demo]") for c in concerns)
    assert sum(c.status == Concern.Status.CLOSED for c in concerns) == 1
    assert Referral.objects.filter(agency="ceop", outcome__startswith="[Demo]").count() == 1
    from_item = Concern.objects.get(source=Concern.Source.REVIEW_ITEM)
    assert from_item.evidence.get().verify()
    assert from_item.actions.filter(done_at__isnull=True).exists()
