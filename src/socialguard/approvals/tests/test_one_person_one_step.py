"""Issue 10, finding 9: one person signed both the line-manager and the head-teacher steps of
one approval, silently. One person does not decide two steps of the same request while someone
else can decide the second; where nobody else can (in a small school the head teacher is often
the line manager too: the demo's Sports News is such a case), the second signature is a
recorded exception, on the page, in the audit trail and in the e-mail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client

from socialguard.approvals.models import ApprovalRequest, Delegation
from socialguard.approvals.services import approval_decide
from socialguard.approvals.workflows import Kind
from socialguard.audit.models import AuditEvent
from socialguard.core.errors import ApplicationError
from socialguard.core.tests.factories import person_with_roles
from socialguard.sites.services import site_request_submit

pytestmark = pytest.mark.django_db


def _sign(request, person, decision: str = "approve", comment: str = ""):  # type: ignore[no-untyped-def]
    return approval_decide(
        request=request,
        approver=person,
        decision=decision,
        comment=comment,
        signature_method="typed_name",
        signature=person.get_full_name(),
    )


def _request(cast):  # type: ignore[no-untyped-def]
    """Line manager, Communications Manager, head teacher: the line manager's own line
    manager is the head teacher."""
    request = site_request_submit(
        kind=Kind.THIRD_PARTY_PARTICIPATION,
        title="Join the county reading forum",
        details="Pupils' book reviews on the county forum.",
        by=cast.line_manager,
    )
    assert cast.line_manager.line_manager_id == cast.head.pk
    return request


def test_the_same_person_is_refused_a_second_step_when_someone_else_can_sign(cast) -> None:  # type: ignore[no-untyped-def]
    other_head = person_with_roles(
        "head_teacher", organisation=cast.organisation, username="head2", first_name="Hugo"
    )
    request = _request(cast)
    _sign(request, cast.head)  # as line manager
    _sign(request, cast.comms)
    with pytest.raises(ApplicationError, match="one person does not decide two steps") as error:
        _sign(request, cast.head)
    assert other_head.get_full_name() in error.value.message
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.PENDING
    assert request.decisions.count() == 2
    _sign(request, other_head)
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED
    assert not AuditEvent.objects.filter(action="approvals.step.same_person").exists()


def test_nor_as_a_deputy(cast) -> None:  # type: ignore[no-untyped-def]
    """Signing once as line manager and again as the Communications Manager's deputy is a
    second signature too, and the Communications Manager can still sign."""
    request = _request(cast)
    Delegation.objects.create(
        organisation=cast.organisation,
        delegator=cast.comms,
        deputy=cast.head,
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=3),
    )
    _sign(request, cast.head)
    with pytest.raises(ApplicationError, match="one person does not decide two steps"):
        _sign(request, cast.head)
    _sign(request, cast.comms)


def test_where_nobody_else_can_the_second_signature_is_a_visible_exception(
    cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    request = _request(cast)
    _sign(request, cast.head)
    _sign(request, cast.comms)
    client = Client()
    client.force_login(cast.head)
    before = client.get(f"/approvals/{request.pk}/").content.decode()
    assert "recorded as an exception" in before
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _sign(request, cast.head)
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED
    event = AuditEvent.objects.get(action="approvals.step.same_person")
    assert event.actor_id == cast.head.pk
    assert event.details["also_decided"] == ["Line manager"]
    signed = AuditEvent.objects.filter(action="approvals.step.approve").order_by("seq").last()
    assert signed.details["second_signature_of"] == ["Line manager"]  # type: ignore[union-attr]
    decision_mail = [m for m in mail.outbox if m.subject.startswith("Head teacher:")]
    assert decision_mail and "Exception" in decision_mail[0].body
    for person in (cast.head, cast.line_manager):
        viewer = Client()
        viewer.force_login(person)
        page = viewer.get(f"/approvals/{request.pk}/").content.decode()
        assert "Exception:" in page and "also decided the Line manager step" in page


def test_different_people_sign_without_any_exception(cast) -> None:  # type: ignore[no-untyped-def]
    request = site_request_submit(
        kind=Kind.THIRD_PARTY_PARTICIPATION,
        title="Join the county reading forum",
        details="Pupils' book reviews on the county forum.",
        by=cast.teacher,  # line manager: cast.line_manager
    )
    for person in (cast.line_manager, cast.comms, cast.head):
        _sign(request, person)
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED
    assert not AuditEvent.objects.filter(action="approvals.step.same_person").exists()
    client = Client()
    client.force_login(cast.head)
    assert "Exception" not in client.get(f"/approvals/{request.pk}/").content.decode()
