"""Issue 12, point 5: the approval engine as the people who use it see it.

Steps go in order (line manager, then the Communications Manager, then the head teacher); a
step may need any one or all of its approvers; nobody approves their own request (A.3.4); a
deputy signs while the approver is away, and that is on the record (A.1.5); a request nobody
decides in time lapses; and an approver can send a request back to its author for changes.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from socialguard.accounts.models import RoleAssignment
from socialguard.approvals.models import (
    ApprovalDecision,
    ApprovalRequest,
    ApprovalStep,
    Delegation,
)
from socialguard.approvals.selectors import approval_requests_awaiting
from socialguard.approvals.services import (
    approval_decide,
    approval_expire_due,
    delegation_create,
)
from socialguard.approvals.workflows import Kind
from socialguard.audit.models import AuditEvent
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.sites.services import site_request_submit

pytestmark = pytest.mark.django_db

TODAY = date.today()


def _sign(request, person, decision: str = "approve", comment: str = ""):  # type: ignore[no-untyped-def]
    return approval_decide(
        request=request,
        approver=person,
        decision=decision,
        comment=comment,
        signature_method="typed_name",
        signature=person.get_full_name(),
    )


def _participation(cast, by=None):  # type: ignore[no-untyped-def]
    """Three steps: line manager, Communications Manager, head teacher. The teacher's line
    manager is cast.line_manager, so three different people can sign."""
    return site_request_submit(
        kind=Kind.THIRD_PARTY_PARTICIPATION,
        title="Join the county reading forum",
        details="Pupils' book reviews on the county forum.",
        by=by or cast.teacher,
    )


def _logo(cast, by):  # type: ignore[no-untyped-def]
    """One step: the Communications Manager."""
    return site_request_submit(
        kind=Kind.LOGO_USE,
        title="Logo on the summer fair banner",
        details="The school logo printed on the fair's banner.",
        by=by,
    )


def _statuses(request) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(s.name, s.status) for s in request.steps.order_by("ordinal")]


def _second_comms(cast):  # type: ignore[no-untyped-def]
    RoleAssignment.objects.create(
        user=cast.dsl, organisation=cast.organisation, role="comms_manager"
    )
    return cast.dsl


def _away(delegator, deputy, *, starts_on=TODAY, ends_on=TODAY + timedelta(days=5)):  # type: ignore[no-untyped-def]
    return delegation_create(
        delegator=delegator, deputy=deputy, starts_on=starts_on, ends_on=ends_on, reason="Leave"
    )


# --- Order of steps ---------------------------------------------------------------------------


def test_steps_open_one_at_a_time_in_the_policys_order(cast) -> None:  # type: ignore[no-untyped-def]
    # Given a new request for participation on a third-party site
    request = _participation(cast)
    # Then only the line manager's step is open, and only the line manager sees it waiting
    assert _statuses(request) == [
        ("Line manager", ApprovalStep.Status.ACTIVE),
        ("Communications Manager", ApprovalStep.Status.WAITING),
        ("Head teacher", ApprovalStep.Status.WAITING),
    ]
    assert approval_requests_awaiting(cast.line_manager) == [request]
    assert approval_requests_awaiting(cast.comms) == []
    assert approval_requests_awaiting(cast.head) == []

    # When the line manager approves, then it is the Communications Manager's turn alone
    _sign(request, cast.line_manager)
    assert request.current_step().name == "Communications Manager"
    assert approval_requests_awaiting(cast.line_manager) == []
    assert approval_requests_awaiting(cast.comms) == [request]
    assert approval_requests_awaiting(cast.head) == []

    # When the Communications Manager approves, then the head teacher's
    _sign(request, cast.comms)
    assert approval_requests_awaiting(cast.head) == [request]

    # When the head teacher gives final approval, the request is approved and nobody waits
    _sign(request, cast.head)
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED
    assert request.decided_at is not None
    assert request.current_step() is None
    assert [name for name, _ in _statuses(request)] == [
        "Line manager",
        "Communications Manager",
        "Head teacher",
    ]
    assert {status for _, status in _statuses(request)} == {ApprovalStep.Status.APPROVED}
    assert [d.step.name for d in request.decisions.all()] == [
        "Line manager",
        "Communications Manager",
        "Head teacher",
    ]


@pytest.mark.parametrize("early", ["comms", "head"])
def test_a_later_approver_cannot_sign_before_their_turn(cast, early: str) -> None:  # type: ignore[no-untyped-def]
    # Given a request still at the line manager's step
    request = _participation(cast)
    # When the Communications Manager or the head teacher tries to sign first
    with pytest.raises(ApplicationError, match="waiting for the Line manager") as error:
        _sign(request, getattr(cast, early))
    # Then they are refused, and nothing moves
    assert error.value.code == ErrorCode.FORBIDDEN
    assert not request.decisions.exists()
    assert request.current_step().name == "Line manager"


def test_only_the_authors_own_line_manager_signs_the_first_step(cast) -> None:  # type: ignore[no-untyped-def]
    # Given a teacher's request (their line manager is cast.line_manager)
    request = _participation(cast)
    # When the head teacher, who manages somebody else, tries the line-manager step
    with pytest.raises(ApplicationError, match="cannot decide"):
        _sign(request, cast.head)
    # Then the step still waits for the teacher's own line manager
    assert request.steps.get(ordinal=1).named_approver == cast.line_manager
    assert not request.decisions.exists()


def test_someone_with_no_line_manager_is_told_before_anything_opens(cast) -> None:  # type: ignore[no-untyped-def]
    # Given a member of staff with no line manager recorded
    assert cast.it_lead.line_manager is None
    # When they ask for sign-off on a workflow that starts with the line manager
    with pytest.raises(ApplicationError, match="no line manager recorded"):
        _participation(cast, by=cast.it_lead)
    # Then no request is opened
    assert not ApprovalRequest.objects.exists()


# --- Quorum -----------------------------------------------------------------------------------


def test_any_of_one_approver_of_the_step_is_enough(cast) -> None:  # type: ignore[no-untyped-def]
    # Given two Communications Managers and a one-step logo request (any-of by default)
    second = _second_comms(cast)
    request = _logo(cast, by=cast.teacher)
    assert request.steps.get().quorum == "any"
    assert approval_requests_awaiting(second) == [request]
    # When one of them approves
    _sign(request, second)
    # Then the request is approved and the other has nothing left waiting
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED
    assert approval_requests_awaiting(cast.comms) == []
    with pytest.raises(ApplicationError, match="already approved"):
        _sign(request, cast.comms)


def _all_of_logo(cast):  # type: ignore[no-untyped-def]
    _second_comms(cast)
    request = _logo(cast, by=cast.teacher)
    step = request.steps.get()
    step.quorum = "all"  # an organisation may configure a step to need everyone
    step.save()
    return request


def test_all_of_waits_for_every_approver(cast) -> None:  # type: ignore[no-untyped-def]
    # Given an all-of step with two Communications Managers
    request = _all_of_logo(cast)
    # When the first approves, then the step still waits, for the second only
    _sign(request, cast.comms)
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.PENDING
    assert request.current_step().status == ApprovalStep.Status.ACTIVE
    assert approval_requests_awaiting(cast.dsl) == [request]
    # When the second approves, then the request is approved
    _sign(request, cast.dsl)
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED


def test_all_of_one_rejection_decides_the_step(cast) -> None:  # type: ignore[no-untyped-def]
    # Given an all-of step that one Communications Manager has approved
    request = _all_of_logo(cast)
    _sign(request, cast.comms)
    # When the other rejects it
    _sign(request, cast.dsl, decision="reject", comment="The logo may not go on merchandise.")
    # Then the request is rejected: an all-of step cannot pass over an objection
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.REJECTED
    assert request.steps.get().status == ApprovalStep.Status.REJECTED


def test_all_of_a_deputy_counts_for_the_approver_they_cover(cast) -> None:  # type: ignore[no-untyped-def]
    # Given an all-of step; the second Communications Manager is away with the IT lead as deputy
    request = _all_of_logo(cast)
    _away(cast.dsl, cast.it_lead)
    # When the first approves and the deputy approves for the one away
    _sign(request, cast.comms)
    record = _sign(request, cast.it_lead)
    # Then every approver is covered and the request is approved
    assert record.on_behalf_of == cast.dsl
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED


def test_all_of_signing_twice_is_refused_in_plain_english(cast) -> None:  # type: ignore[no-untyped-def]
    # Given an all-of step that one Communications Manager has already approved
    request = _all_of_logo(cast)
    _sign(request, cast.comms)
    # When they sign again (a double click, a second tab)
    with pytest.raises(ApplicationError):
        _sign(request, cast.comms)
    # Then it is refused with a message, and the step still waits for the other
    assert request.decisions.count() == 1


# --- Nobody approves their own request (A.3.4) -------------------------------------------------


def test_the_author_cannot_approve_their_own_request_even_holding_the_role(cast) -> None:  # type: ignore[no-untyped-def]
    # Given the Communications Manager asks for sign-off on the logo, and a second one exists
    second = _second_comms(cast)
    request = _logo(cast, by=cast.comms)
    # Then it waits for the other Communications Manager, not the author
    assert approval_requests_awaiting(cast.comms) == []
    assert approval_requests_awaiting(second) == [request]
    # When the author tries to approve it anyway
    with pytest.raises(ApplicationError, match=r"A\.3\.4") as error:
        _sign(request, cast.comms)
    # Then they are refused and the request still waits
    assert error.value.code == ErrorCode.FORBIDDEN
    assert not request.decisions.exists()
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.PENDING
    # And the other Communications Manager can approve it
    _sign(request, second)
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED


def test_the_author_cannot_approve_as_someone_elses_deputy(cast) -> None:  # type: ignore[no-untyped-def]
    # Given the teacher is the Communications Manager's deputy while they are away
    request = _participation(cast)
    _sign(request, cast.line_manager)
    _away(cast.comms, cast.teacher)
    # Then the teacher's own request is not waiting for them
    assert approval_requests_awaiting(cast.teacher) == []
    # When they try to sign the Communications Manager's step of their own request
    with pytest.raises(ApplicationError, match=r"A\.3\.4"):
        _sign(request, cast.teacher)
    # Then nothing is recorded
    assert request.decisions.count() == 1


# --- Delegation (A.1.5) -----------------------------------------------------------------------


def test_a_deputy_signs_for_the_approver_on_leave_and_it_is_on_the_record(cast) -> None:  # type: ignore[no-untyped-def]
    # Given the head teacher is on leave with the DSL as deputy, and the request reached them
    request = _participation(cast)
    _sign(request, cast.line_manager)
    _sign(request, cast.comms)
    _away(cast.head, cast.dsl)
    assert approval_requests_awaiting(cast.dsl) == [request]
    # When the deputy signs
    record = _sign(request, cast.dsl)
    # Then the request is approved, signed in the deputy's name on the head teacher's behalf
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED
    assert (record.approver, record.on_behalf_of) == (cast.dsl, cast.head)
    assert record.signed_name == cast.dsl.get_full_name()
    # And the audit trail says who signed, for whom, and records the delegation itself
    event = AuditEvent.objects.get(action="approvals.step.approve", details__step="Head teacher")
    assert event.actor_id == cast.dsl.pk
    assert event.details["on_behalf_of"] == str(cast.head)
    assert AuditEvent.objects.filter(
        action="approvals.delegation.create", actor_id=cast.head.pk, clauses=["A.1.5"]
    ).exists()
    # And the deputy's signature is shown on the request's page
    client = Client()
    client.force_login(cast.teacher)
    assert cast.dsl.get_full_name() in client.get(f"/approvals/{request.pk}/").content.decode()


def test_a_direct_signature_has_nobody_on_whose_behalf(cast) -> None:  # type: ignore[no-untyped-def]
    # Given a deputy is named, but the approver is the one who signs
    request = _participation(cast)
    _away(cast.line_manager, cast.dsl)
    record = _sign(request, cast.line_manager)
    # Then the decision is theirs alone
    assert record.on_behalf_of is None
    assert AuditEvent.objects.get(action="approvals.step.approve").details["on_behalf_of"] == ""


@pytest.mark.parametrize(
    "period",
    [
        "ended",
        "not_started",
        "revoked",
    ],
)
def test_a_deputy_outside_the_delegation_cannot_sign(cast, period: str) -> None:  # type: ignore[no-untyped-def]
    # Given a delegation that has ended, has not started yet, or was revoked
    request = _participation(cast)
    if period == "ended":
        _away(
            cast.line_manager,
            cast.dsl,
            starts_on=TODAY - timedelta(days=9),
            ends_on=TODAY - timedelta(days=1),
        )
    elif period == "not_started":
        _away(
            cast.line_manager,
            cast.dsl,
            starts_on=TODAY + timedelta(days=1),
            ends_on=TODAY + timedelta(days=9),
        )
    else:
        Delegation.objects.filter(pk=_away(cast.line_manager, cast.dsl).pk).update(revoked=True)
    # Then the would-be deputy sees nothing waiting and is refused
    assert approval_requests_awaiting(cast.dsl) == []
    with pytest.raises(ApplicationError, match="cannot decide"):
        _sign(request, cast.dsl)
    assert not request.decisions.exists()


def test_a_deputy_does_not_gain_other_steps(cast) -> None:  # type: ignore[no-untyped-def]
    # Given the DSL deputises for the line manager
    request = _participation(cast)
    _away(cast.line_manager, cast.dsl)
    _sign(request, cast.line_manager)
    # When the request has moved on to the Communications Manager
    # Then the deputy cannot sign that step: the cover is for the line manager only
    assert approval_requests_awaiting(cast.dsl) == []
    with pytest.raises(ApplicationError, match="cannot decide"):
        _sign(request, cast.dsl)


# --- Expiry -----------------------------------------------------------------------------------


def _expiring(cast, on: date):  # type: ignore[no-untyped-def]
    request = _participation(cast)
    request.expires_on = on
    request.save()
    return request


def test_a_request_nobody_decided_in_time_lapses_and_cannot_then_be_signed(cast) -> None:  # type: ignore[no-untyped-def]
    # Given a request whose expiry date has passed, half way through its steps
    request = _expiring(cast, TODAY - timedelta(days=1))
    _sign(request, cast.line_manager)
    # When the daily expiry runs
    assert approval_expire_due() == 1
    # Then it has lapsed, not approved, and it is on the record
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.EXPIRED
    assert request.decided_at is not None
    assert AuditEvent.objects.filter(action="approvals.request.expire").count() == 1
    # And it waits for nobody and nobody can sign it
    assert approval_requests_awaiting(cast.comms) == []
    with pytest.raises(ApplicationError, match="expired") as error:
        _sign(request, cast.comms)
    assert error.value.code == ErrorCode.ALREADY_DONE
    # And running the expiry again changes nothing
    assert approval_expire_due() == 0


def test_a_request_is_still_open_on_its_expiry_day(cast) -> None:  # type: ignore[no-untyped-def]
    # Given requests expiring today, later, or never
    today = _expiring(cast, TODAY)
    later = _expiring(cast, TODAY + timedelta(days=3))
    never = _participation(cast)
    # When the expiry runs
    assert approval_expire_due() == 0
    # Then none lapses, and today's can still be signed
    for request in (today, later, never):
        request.refresh_from_db()
        assert request.status == ApprovalRequest.Status.PENDING
    _sign(today, cast.line_manager)
    # And the next day, it lapses
    assert approval_expire_due(today=TODAY + timedelta(days=1)) == 1
    today.refresh_from_db()
    assert today.status == ApprovalRequest.Status.EXPIRED


def test_decided_requests_never_expire(cast) -> None:  # type: ignore[no-untyped-def]
    # Given an approved request whose expiry date has since passed
    request = _logo(cast, by=cast.teacher)
    _sign(request, cast.comms)
    ApprovalRequest.objects.filter(pk=request.pk).update(expires_on=TODAY - timedelta(days=1))
    # When the expiry runs, then the approval stands
    assert approval_expire_due() == 0
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED


def test_a_lapsed_request_shows_no_step_still_awaiting_a_decision(cast) -> None:  # type: ignore[no-untyped-def]
    # Given a lapsed request
    request = _expiring(cast, TODAY - timedelta(days=1))
    approval_expire_due()
    # Then none of its steps still claims to be awaiting a decision
    request.refresh_from_db()
    assert request.current_step() is None
    assert ApprovalStep.Status.ACTIVE not in {status for _, status in _statuses(request)}
    assert ApprovalStep.Status.WAITING not in {status for _, status in _statuses(request)}


# --- Returned for changes ---------------------------------------------------------------------


def test_an_approver_sends_the_request_back_with_a_reason(cast) -> None:  # type: ignore[no-untyped-def]
    # Given a request at the Communications Manager's step
    request = _participation(cast)
    _sign(request, cast.line_manager)
    # When they return it without a reason, then they are asked for one and nothing changes
    with pytest.raises(ApplicationError, match="Give a reason"):
        _sign(request, cast.comms, decision="request_changes", comment="   ")
    assert request.decisions.count() == 1
    # When they return it with a reason
    record = _sign(request, cast.comms, decision="request_changes", comment="Name the moderator.")
    # Then it is back with the author: returned, the later step cancelled, the reason recorded
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.CHANGES_REQUESTED
    assert _statuses(request) == [
        ("Line manager", ApprovalStep.Status.APPROVED),
        ("Communications Manager", ApprovalStep.Status.RETURNED),
        ("Head teacher", ApprovalStep.Status.CANCELLED),
    ]
    assert record.decision == ApprovalDecision.Decision.REQUEST_CHANGES
    assert record.comment == "Name the moderator."
    event = AuditEvent.objects.get(action="approvals.step.request_changes")
    assert event.actor_id == cast.comms.pk
    assert event.details["comment"] == "Name the moderator."
    # And the head teacher never gets it, and nobody can sign it any more
    assert approval_requests_awaiting(cast.head) == []
    assert approval_requests_awaiting(cast.comms) == []
    with pytest.raises(ApplicationError, match="already returned for changes"):
        _sign(request, cast.comms)
    # And the author sees the reason on the request's page
    client = Client()
    client.force_login(cast.teacher)
    assert "Name the moderator." in client.get(f"/approvals/{request.pk}/").content.decode()


def test_rejection_ends_the_request_and_also_needs_a_reason(cast) -> None:  # type: ignore[no-untyped-def]
    # Given a request at the line manager's step
    request = _participation(cast)
    # When the line manager rejects it without a reason, then they are asked for one
    with pytest.raises(ApplicationError, match="Give a reason"):
        _sign(request, cast.line_manager, decision="reject")
    # When with a reason, then it is rejected and the later steps are cancelled
    _sign(request, cast.line_manager, decision="reject", comment="Not suitable for pupils.")
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.REJECTED
    assert [s for _, s in _statuses(request)] == [
        ApprovalStep.Status.REJECTED,
        ApprovalStep.Status.CANCELLED,
        ApprovalStep.Status.CANCELLED,
    ]
    assert approval_requests_awaiting(cast.comms) == []


def test_the_request_page_links_its_steps_clauses_to_the_version_in_force_when_it_opened(
    cast, policy_version
) -> None:  # type: ignore[no-untyped-def]
    from socialguard.policy.tests.factories import second_version_published

    request = _participation(cast)
    clauses = {c for step in request.steps.all() for c in step.clauses}
    assert clauses
    client = Client()
    client.force_login(cast.line_manager)  # the first step is theirs
    second_version_published(cast)
    html = client.get(f"/approvals/{request.pk}/").content.decode()
    assert all(f'href="/policy/versions/{policy_version.pk}/#{c}"' in html for c in clauses)
