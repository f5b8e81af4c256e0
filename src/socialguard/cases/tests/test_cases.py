"""Triage, stages, outcome and appeal (9.1, 9.2; ANCHORS §3.2), evidence and the append-only
chronology."""

from __future__ import annotations

import hashlib

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction

from socialguard.audit.models import AuditEvent
from socialguard.audit.services import audit_record
from socialguard.cases import services
from socialguard.cases.evidence import evidence_verify
from socialguard.cases.models import (
    BreachCase,
    BreachReport,
    CaseAppeal,
    CaseEntry,
    CaseEvidence,
    Stage,
)
from socialguard.cases.tests.factories import case, decided, named, report
from socialguard.community.tests.factories import live_site, member, post
from socialguard.core.errors import ApplicationError, ErrorCode

pytestmark = pytest.mark.django_db


# --- Triage ------------------------------------------------------------------------------


def test_triage_opens_a_case_at_investigation(cast):
    submitted = report(cast)
    opened = services.breach_report_triage(
        report=submitted,
        by=cast.head,
        staff_member=cast.teacher,
        clauses=["6.9", "9.2"],
        summary="Photos of pupils on a personal account.",
    )
    submitted.refresh_from_db()
    assert submitted.status == BreachReport.Status.TRIAGED
    assert opened.reference in submitted.triage_reason and submitted.triaged_by == cast.head
    assert opened.stage == Stage.INVESTIGATION and opened.clauses == ["6.9", "9.2"]
    assert opened.report == submitted and opened.staff_member == cast.teacher
    assert opened.reference.startswith("BC-")
    assert [e.kind for e in opened.entries.all()] == ["stage"]
    event = AuditEvent.objects.get(action="cases.case.open")
    assert event.target_repr == opened.reference and {"6.9", "9.1", "9.2"} <= set(event.clauses)
    assert cast.teacher.get_full_name() not in str(event.details)


def test_a_report_is_triaged_once(cast):
    submitted = report(cast)
    services.breach_report_close(report=submitted, by=cast.head, reason="A personal matter.")
    with pytest.raises(ApplicationError) as error:
        services.breach_report_triage(
            report=submitted, by=cast.head, staff_member=cast.teacher, clauses=["6.9"], summary="x"
        )
    assert error.value.code == ErrorCode.ALREADY_DONE


@pytest.mark.parametrize(
    ("about", "clauses", "message"),
    [
        ("head", ["6.9"], "about yourself"),
        ("teacher", [], "at least one clause"),
        ("teacher", ["99.1"], "not a clause"),
        ("parent", ["6.9"], "staff member"),
        ("outsider", ["6.9"], "staff member"),
    ],
)
def test_triage_refuses(cast, about, clauses, message):
    with pytest.raises(ApplicationError, match=message):
        services.breach_report_triage(
            report=report(cast),
            by=cast.head,
            staff_member=getattr(cast, about),
            clauses=clauses,
            summary="x",
        )
    assert not BreachCase.objects.exists()


def test_not_a_breach_needs_a_reason_and_the_reporter_is_told(
    cast, django_capture_on_commit_callbacks
):
    submitted = report(cast)
    with pytest.raises(ApplicationError, match="Say why"):
        services.breach_report_close(report=submitted, by=cast.head, reason=" ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.breach_report_close(
            report=submitted, by=cast.head, reason="The photos were on the school's own site."
        )
    submitted.refresh_from_db()
    assert submitted.status == BreachReport.Status.NOT_A_BREACH
    [message] = mail.outbox
    assert message.to == ["dave@contractor.example"]
    assert "school's own site" in message.body and "&#x27;" not in message.body


def test_the_reporter_is_told_their_report_was_considered_and_nothing_about_the_case(
    cast, django_capture_on_commit_callbacks
):
    submitted = report(cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.breach_report_triage(
            report=submitted,
            by=cast.head,
            staff_member=cast.teacher,
            clauses=["6.9"],
            summary="Photos of pupils on a personal account",
        )
    [message] = [m for m in mail.outbox if m.to == ["dave@contractor.example"]]
    assert "has been considered" in message.subject
    assert case.reference not in message.body and "Photos of pupils" not in message.body
    assert cast.teacher.get_full_name() not in message.body


def test_only_case_handlers_triage(cast):
    with pytest.raises(ApplicationError) as error:
        services.breach_report_close(report=report(cast), by=cast.dsl, reason="No.")
    assert error.value.code == ErrorCode.FORBIDDEN


# --- Stages and outcome ------------------------------------------------------------------


def test_stages_run_investigation_hearing_outcome_closed(cast):
    opened = case(cast)
    services.case_stage_move(case=opened, by=cast.head, to="hearing", note="On Friday.")
    opened = services.case_outcome_record(
        case=opened, by=cast.head, outcome="warning", reason="Proven at the hearing."
    )
    assert opened.stage == Stage.OUTCOME and opened.outcome_decided_by == cast.head
    assert opened.outcome_at is not None
    closed = services.case_close(case=opened, by=cast.head)
    assert closed.stage == Stage.CLOSED and closed.closed_at is not None
    kinds = list(closed.entries.values_list("kind", flat=True))
    assert kinds == ["stage", "stage", "outcome", "stage"]
    actions = list(
        AuditEvent.objects.filter(action__startswith="cases.case").values_list("action", flat=True)
    )
    assert actions == [
        "cases.case.open",
        "cases.case.stage",
        "cases.case.outcome",
        "cases.case.close",
    ]


@pytest.mark.parametrize("outcome", ["warning", "disciplinary", "dismissal"])
def test_a_sanction_follows_a_hearing(cast, outcome):
    opened = case(cast)
    with pytest.raises(ApplicationError, match="follows a hearing"):
        services.case_outcome_record(case=opened, by=cast.head, outcome=outcome, reason="x")


@pytest.mark.parametrize("outcome", ["no_action", "advice", "county_referral"])
def test_other_outcomes_may_follow_the_investigation(cast, outcome):
    opened = services.case_outcome_record(
        case=case(cast), by=cast.head, outcome=outcome, reason="Investigated."
    )
    assert opened.outcome == outcome


def test_a_closed_case_takes_no_more_changes(cast):
    closed = services.case_close(case=decided(cast), by=cast.head)
    with pytest.raises(ApplicationError) as error:
        services.case_note_add(case=closed, by=cast.head, body="One more thing")
    assert error.value.code == ErrorCode.FORBIDDEN


def test_the_outcome_needs_reasons(cast):
    with pytest.raises(ApplicationError, match="reasons"):
        services.case_outcome_record(case=case(cast), by=cast.head, outcome="advice", reason="")


# --- Appeal ------------------------------------------------------------------------------


def test_the_appeal_is_decided_by_someone_other_than_the_outcome_decider(cast):
    named(cast, cast.governor)
    found = decided(cast)
    appeal = services.case_appeal_file(case=found, by=cast.head, text="It was a family friend.")
    assert appeal.outcome_decided_by == cast.head
    found.refresh_from_db()
    assert found.stage == Stage.APPEAL

    with pytest.raises(ApplicationError, match="someone else must decide") as error:
        services.case_appeal_decide(
            case=found, by=cast.head, decision="overturned", reason="On reflection."
        )
    assert error.value.code == ErrorCode.FORBIDDEN

    appeal = services.case_appeal_decide(
        case=found, by=cast.governor, decision="varied", varied_outcome="advice", reason="Fairer."
    )
    found.refresh_from_db()
    assert appeal.decided_by == cast.governor and appeal.varied_outcome == "advice"
    assert found.stage == Stage.CLOSED and found.closed_at == appeal.decided_at
    assert AuditEvent.objects.filter(action="cases.appeal.decide", actor=cast.governor).exists()


def test_the_database_refuses_an_appeal_decided_by_the_outcome_decider(cast):
    found = decided(cast)
    appeal = services.case_appeal_file(case=found, by=cast.head, text="Grounds.")
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseAppeal.objects.filter(pk=appeal.pk).update(
            decided_by=cast.head, decision="upheld", decided_at=found.outcome_at
        )
    # Anyone else is accepted by the database.
    CaseAppeal.objects.filter(pk=appeal.pk).update(
        decided_by=cast.governor, decision="upheld", decided_at=found.outcome_at
    )


def test_a_named_person_who_decided_the_outcome_cannot_decide_the_appeal(cast):
    named(cast, cast.line_manager)
    found = decided(cast, by=cast.line_manager)
    services.case_appeal_file(case=found, by=cast.head, text="Grounds.")
    with pytest.raises(ApplicationError):
        services.case_appeal_decide(case=found, by=cast.line_manager, decision="upheld", reason="x")
    appeal = services.case_appeal_decide(case=found, by=cast.head, decision="upheld", reason="x")
    assert appeal.decided_by == cast.head


def test_one_appeal_per_case_and_none_against_no_action(cast):
    found = decided(cast)
    services.case_appeal_file(case=found, by=cast.head, text="Grounds.")
    with pytest.raises(ApplicationError):
        services.case_appeal_file(case=found, by=cast.head, text="Again.")
    nothing = services.case_outcome_record(
        case=case(cast), by=cast.head, outcome="no_action", reason="Not proven."
    )
    with pytest.raises(ApplicationError):
        services.case_appeal_file(case=nothing, by=cast.head, text="Grounds.")


# --- Evidence ----------------------------------------------------------------------------


def test_an_uploaded_file_is_kept_with_its_sha256(cast):
    data = b"screenshot bytes"
    evidence = services.case_evidence_add(
        case=case(cast),
        by=cast.head,
        source_type="upload",
        description="Screenshot of the post.",
        upload=SimpleUploadedFile("shot.png", data, "image/png"),
    )
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.file_name == "shot.png" and evidence_verify(evidence)
    assert evidence.sha256 in evidence.case.entries.get(kind="evidence").body


def test_an_audit_event_is_frozen_as_evidence(cast):
    found = case(cast)
    with transaction.atomic():
        event = audit_record(actor=cast.teacher, action="sites.site.go_live", target=cast.teacher)
    evidence = services.case_evidence_add(
        case=found,
        by=cast.head,
        source_type="audit_event",
        source_id=str(event.pk),
        description="Went live without sign-off.",
    )
    assert evidence.snapshot["hash"] == event.hash
    assert evidence_verify(evidence)
    evidence.snapshot["actor"] = "someone else"
    assert not evidence_verify(evidence)


def test_a_review_item_is_frozen_as_evidence(cast):
    site = live_site(cast)
    contribution = post(site, cast.teacher, "My personal views on the council")
    item = contribution.review_items.get()
    evidence = services.case_evidence_add(
        case=case(cast),
        by=cast.head,
        source_type="review_item",
        source_id=str(item.pk),
        description="The post.",
    )
    assert evidence.snapshot["content"] == "My personal views on the council"


def test_a_safeguarding_item_cannot_be_linked_to_a_staff_case(cast):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    item = post(
        site, cast.pupil, "i dont want to go home because my dad hits me"
    ).review_items.get()
    with pytest.raises(ApplicationError, match="safeguarding lead"):
        services.case_evidence_add(
            case=case(cast),
            by=cast.head,
            source_type="review_item",
            source_id=str(item.pk),
            description="x",
        )


def test_records_of_another_organisation_cannot_be_linked(cast):
    with transaction.atomic():
        theirs = audit_record(
            actor=cast.outsider, action="sites.site.go_live", target=cast.outsider
        )
    with pytest.raises(ApplicationError) as error:
        services.case_evidence_add(
            case=case(cast),
            by=cast.head,
            source_type="audit_event",
            source_id=str(theirs.pk),
            description="x",
        )
    assert error.value.code == ErrorCode.NOT_FOUND


# --- Append-only -------------------------------------------------------------------------


def test_the_chronology_cannot_be_changed_or_deleted(cast):
    found = case(cast)
    services.case_note_add(case=found, by=cast.head, body="Spoke to the reporter.")
    entry = found.entries.get(kind="note")
    entry.body = "Nothing happened."
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        CaseEntry.objects.filter(pk=entry.pk).update(body="x")
    with pytest.raises(PermissionError):
        CaseEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseentry SET body = 'x'")
    assert CaseEntry.objects.get(pk=entry.pk).body == "Spoke to the reporter."


def test_evidence_cannot_be_changed_in_the_database(cast):
    services.case_evidence_add(
        case=case(cast),
        by=cast.head,
        source_type="upload",
        description="x",
        upload=SimpleUploadedFile("a.txt", b"a"),
    )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseevidence SET sha256 = 'x'")
    assert CaseEvidence.objects.get().sha256 == hashlib.sha256(b"a").hexdigest()


# --- Named people ------------------------------------------------------------------------


def test_the_head_names_and_unnames_case_handlers_audited(cast):
    grant = named(cast, cast.governor)
    assert AuditEvent.objects.filter(action="cases.access.grant", actor=cast.head).exists()
    with pytest.raises(ApplicationError):
        named(cast, cast.governor)
    services.case_access_revoke(access=grant, by=cast.head)
    assert AuditEvent.objects.filter(action="cases.access.revoke").exists()
    named(cast, cast.governor)  # may be named again


@pytest.mark.parametrize("by", ["dsl", "admin", "comms", "governor"])
def test_only_the_head_names_case_handlers(cast, by):
    with pytest.raises(ApplicationError):
        services.case_access_grant(user=cast.teacher, by=getattr(cast, by))


@pytest.mark.parametrize("person", ["parent", "pupil", "outsider"])
def test_only_staff_of_the_organisation_can_be_named(cast, person):
    with pytest.raises(ApplicationError):
        named(cast, getattr(cast, person))


def test_closing_a_case_on_the_page_needs_a_confirmation(cast, client):
    found = decided(cast)
    client.force_login(cast.head)
    url = f"/cases/{found.pk}/act/"
    page = client.post(url, {"action": "close", "note": "Done."}, follow=True).content.decode()
    assert "closing cannot be undone" in page
    found.refresh_from_db()
    assert found.stage == Stage.OUTCOME
    client.post(url, {"action": "close", "note": "Done.", "confirm": "on"})
    found.refresh_from_db()
    assert found.stage == Stage.CLOSED
