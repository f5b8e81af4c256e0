"""The Appendix B proposal: checks before submission, ordered sign-offs, signatures, delegation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from socialguard.approvals.models import ApprovalRequest
from socialguard.approvals.selectors import approval_requests_awaiting
from socialguard.approvals.services import approval_decide, delegation_create
from socialguard.audit.models import AuditEvent
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.tests.factories import PASSWORD
from socialguard.sites.checks import site_proposal_problems
from socialguard.sites.models import Site
from socialguard.sites.services import (
    site_document_publish,
    site_go_live,
    site_proposal_submit,
)
from socialguard.sites.tests.factories import proposal

pytestmark = pytest.mark.django_db


def _sign(request, person, decision="approve", comment=""):  # type: ignore[no-untyped-def]
    return approval_decide(
        request=request,
        approver=person,
        decision=decision,
        comment=comment,
        signature_method="typed_name",
        signature=person.get_full_name(),
    )


def _fields(site: Site) -> dict[str, tuple[str, ...]]:
    return {p.field: p.clauses for p in site_proposal_problems(site)}


def test_complete_proposal_has_no_problems(cast) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast)
    assert site.line_manager == cast.line_manager  # pre-filled from the reporting line
    assert _fields(site) == {}


@pytest.mark.parametrize(
    ("overrides", "field", "clause"),
    [
        ({"administrators": []}, "administrators", "A.5.4"),
        ({"moderators": []}, "moderators", "A.5.4"),
        ({"closure_on": date.today()}, "closure_on", "A.1.6"),
        ({"consent_plan": ""}, "consent_plan", "A.2.1"),
        ({"purpose": "Fun."}, "purpose", "7.2"),
        ({"aims": ""}, "aims", "A.1.7"),
        ({"home_office_checklist_reviewed": False}, "home_office_checklist_reviewed", "A.2.4"),
        ({"contributors": ["public"], "audience": ["public"]}, "vetter", "A.5.7"),
        ({"audience": ["others"]}, "audience_other", "A.1.3"),
        ({"security_measures": ""}, "security_measures", "A.5.7"),
    ],
)
def test_each_check_names_its_clause(cast, overrides, field, clause) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast, **overrides)
    assert clause in _fields(site).get(field, ()), _fields(site)


def test_administrators_must_be_staff_members(cast) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast, administrators=[cast.teacher, cast.parent])
    assert "A.3.1" in _fields(site)["administrators"]


def test_third_party_host_above_pupils_age_blocks(cast) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast, host=Site.Host.THIRD_PARTY, host_name="Facebook", host_min_age=13)
    problem = next(p for p in site_proposal_problems(site) if p.field == "host_min_age")
    assert problem.clauses == ("A.2.5", "7.3")
    assert "13 or older" in problem.message and "Reception to Year 6" in problem.message
    with pytest.raises(ApplicationError) as error:
        site_proposal_submit(site=site, by=cast.teacher)
    assert any(d["field"] == "host_min_age" for d in error.value.detail)
    adults_only = proposal(
        cast,
        name="Staff CPD group",
        host=Site.Host.THIRD_PARTY,
        host_name="LinkedIn",
        host_min_age=16,
        audience=["staff"],
        contributors=["staff"],
        home_office_checklist_reviewed=False,
        consent_plan="",
    )
    assert "host_min_age" not in _fields(adults_only)


def test_sign_offs_happen_in_order_and_each_sees_it_only_at_their_turn(cast) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast)
    request = site_proposal_submit(site=site, by=cast.teacher)
    site.refresh_from_db()
    assert site.status == Site.Status.AWAITING_LINE_MANAGER
    assert approval_requests_awaiting(cast.line_manager) == [request]
    assert (
        approval_requests_awaiting(cast.comms) == [] and approval_requests_awaiting(cast.head) == []
    )
    with pytest.raises(ApplicationError) as early:
        _sign(request, cast.head)
    assert early.value.code == ErrorCode.FORBIDDEN

    _sign(request, cast.line_manager)
    site.refresh_from_db()
    assert site.status == Site.Status.AWAITING_COMMS
    assert approval_requests_awaiting(cast.comms) == [request]
    _sign(request, cast.comms)
    site.refresh_from_db()
    assert site.status == Site.Status.AWAITING_HEAD
    _sign(request, cast.head)
    site.refresh_from_db()
    request.refresh_from_db()
    assert (site.status, request.status) == (Site.Status.APPROVED, ApprovalRequest.Status.APPROVED)
    decisions = [(d.step.name, d.signed_name) for d in request.decisions.all()]
    assert decisions == [
        ("Line manager", cast.line_manager.get_full_name()),
        ("Communications Manager", cast.comms.get_full_name()),
        ("Head teacher", cast.head.get_full_name()),
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"sites.proposal.submit", "approvals.request.open", "approvals.step.approve"} <= actions


def test_nobody_approves_their_own_proposal(cast) -> None:  # type: ignore[no-untyped-def]
    # The Communications Manager proposes; the Comms step must not be theirs to sign.
    from socialguard.sites.services import site_proposal_save
    from socialguard.sites.tests.factories import GOOD_PROPOSAL

    today = date.today()
    site = site_proposal_save(
        site=None,
        by=cast.comms,
        data={
            **GOOD_PROPOSAL,
            "go_live_on": today + timedelta(days=7),
            "closure_on": today + timedelta(days=90),
        },
        administrators=[cast.teacher, cast.line_manager],
        moderators=[cast.dsl, cast.deputy_dsl],
    )
    request = site_proposal_submit(site=site, by=cast.comms)
    _sign(request, cast.head)  # the head is Comms' line manager
    with pytest.raises(ApplicationError, match="own request"):
        _sign(request, cast.comms)


def test_return_for_changes_needs_a_reason_and_reopens_the_draft(cast) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast)
    request = site_proposal_submit(site=site, by=cast.teacher)
    with pytest.raises(ApplicationError, match="reason"):
        _sign(request, cast.line_manager, decision="request_changes")
    _sign(request, cast.line_manager, decision="request_changes", comment="Add a closure plan.")
    site.refresh_from_db()
    assert site.status == Site.Status.CHANGES_REQUESTED
    second = site_proposal_submit(site=site, by=cast.teacher)  # resubmits as a new request
    assert second.pk != request.pk and second.current_step().name == "Line manager"


def test_rejection_is_final_and_cites_the_step_clause(cast) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast)
    request = site_proposal_submit(site=site, by=cast.teacher)
    _sign(request, cast.line_manager)
    _sign(request, cast.comms, decision="reject", comment="Duplicates the class blog.")
    site.refresh_from_db()
    assert site.status == Site.Status.REJECTED
    event = AuditEvent.objects.get(action="approvals.step.reject")
    assert event.clauses == ["A.3.2", "A.3.5"]
    with pytest.raises(ApplicationError):
        _sign(request, cast.head)


def test_password_signature(cast) -> None:  # type: ignore[no-untyped-def]
    request = site_proposal_submit(site=proposal(cast), by=cast.teacher)
    with pytest.raises(ApplicationError, match="password"):
        approval_decide(
            request=request,
            approver=cast.line_manager,
            decision="approve",
            signature_method="password",
            signature="wrong",
        )
    record = approval_decide(
        request=request,
        approver=cast.line_manager,
        decision="approve",
        signature_method="password",
        signature=PASSWORD,
    )
    assert record.signed_name == cast.line_manager.get_full_name()
    with pytest.raises(ApplicationError, match="type your full name"):
        approval_decide(
            request=request,
            approver=cast.comms,
            decision="approve",
            signature_method="typed_name",
            signature="Someone Else",
        )


def test_deputy_signs_while_approver_is_on_leave_and_it_is_audited(cast) -> None:  # type: ignore[no-untyped-def]
    request = site_proposal_submit(site=proposal(cast), by=cast.teacher)
    _sign(request, cast.line_manager)
    today = date.today()
    delegation_create(
        delegator=cast.comms, deputy=cast.dsl, starts_on=today, ends_on=today + timedelta(days=5)
    )
    assert approval_requests_awaiting(cast.dsl) == [request]
    record = _sign(request, cast.dsl)
    assert record.on_behalf_of == cast.comms
    assert AuditEvent.objects.filter(
        action="approvals.delegation.create", clauses=["A.1.5"]
    ).exists()
    assert AuditEvent.objects.filter(
        action="approvals.step.approve", details__on_behalf_of=str(cast.comms)
    ).exists()


def test_everyone_involved_is_emailed_after_each_step(
    cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        request = site_proposal_submit(site=proposal(cast), by=cast.teacher)
    assert [m.to for m in mail.outbox] == [[cast.line_manager.email]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _sign(request, cast.line_manager)
    recipients = {address for message in mail.outbox for address in message.to}
    assert {cast.teacher.email, cast.line_manager.email, cast.comms.email} <= recipients
    assert cast.head.email not in recipients  # not their turn yet


def test_go_live_needs_terms_house_rules_and_cover(cast) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast)
    request = site_proposal_submit(site=site, by=cast.teacher)
    for person in (cast.line_manager, cast.comms, cast.head):
        _sign(request, person)
    with pytest.raises(ApplicationError, match="Terms of Use"):
        site_go_live(site=site, by=cast.teacher)
    site_document_publish(
        site=site,
        kind="terms",
        text="Be kind. Posts are moderated before they appear.",
        by=cast.teacher,
    )
    site_document_publish(
        site=site,
        kind="house_rules",
        text="1. No names of pupils. 2. No personal details.",
        by=cast.teacher,
    )
    site = site_go_live(site=site, by=cast.teacher)
    assert site.status == Site.Status.LIVE
    assert AuditEvent.objects.filter(action="sites.site.go_live").exists()


def test_the_school_chooses_the_signature_method(cast) -> None:  # type: ignore[no-untyped-def]
    cast.organisation.approval_signature = "password"
    cast.organisation.save()
    request = site_proposal_submit(site=proposal(cast), by=cast.teacher)
    with pytest.raises(ApplicationError, match="re-entering your password"):
        _sign(request, cast.line_manager)  # typed name refused
    approval_decide(
        request=request,
        approver=cast.line_manager,
        decision="approve",
        signature_method="password",
        signature=PASSWORD,
    )


def test_all_of_quorum_waits_for_every_approver(cast) -> None:  # type: ignore[no-untyped-def]
    from socialguard.accounts.models import RoleAssignment

    RoleAssignment.objects.create(
        user=cast.dsl, organisation=cast.organisation, role="comms_manager"
    )
    request = site_proposal_submit(site=proposal(cast), by=cast.teacher)
    _sign(request, cast.line_manager)
    step = request.current_step()
    step.quorum = "all"
    step.save()
    _sign(request, cast.comms)
    assert request.current_step().name == "Communications Manager"  # still waiting for the second
    _sign(request, cast.dsl)
    assert request.current_step().name == "Head teacher"


def test_unanswered_requests_expire_and_never_approve(cast) -> None:  # type: ignore[no-untyped-def]
    from socialguard.approvals.services import approval_expire_due

    request = site_proposal_submit(site=proposal(cast), by=cast.teacher)
    request.expires_on = date.today() - timedelta(days=1)
    request.save()
    assert approval_expire_due() == 1
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.EXPIRED
    with pytest.raises(ApplicationError, match="expired"):
        _sign(request, cast.line_manager)
