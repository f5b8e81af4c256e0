"""Opening, deciding and delegating approvals. Each service is one transaction with one audit
event; notifications go out after commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.accounts.selectors import is_staff_member
from socialguard.approvals.models import ApprovalDecision, ApprovalRequest, ApprovalStep, Delegation
from socialguard.approvals.selectors import approvers_for, deputies_acting_for, second_signature
from socialguard.approvals.workflows import WORKFLOWS, Kind, Quorum, Rule
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit

# The subject of a request (a site proposal, say) reacts to each outcome inside the same
# transaction: sites move a proposal's status along as its sign-offs arrive.
SubjectHandler = Callable[[ApprovalRequest, User], None]
_HANDLERS: dict[str, SubjectHandler] = {}


def register_subject_handler(kind: Kind, handler: SubjectHandler) -> None:
    _HANDLERS[kind.value] = handler


def _steps_clauses(request: ApprovalRequest) -> list[str]:
    return sorted({c for step in request.steps.all() for c in step.clauses})


@transaction.atomic
def approval_request_open(
    *,
    kind: Kind,
    subject: models.Model,
    title: str,
    submitted_by: User,
    expires_on: date | None = None,
) -> ApprovalRequest:
    specs = WORKFLOWS[kind]
    if any(s.rule == Rule.LINE_MANAGER for s in specs) and submitted_by.line_manager is None:
        raise ApplicationError(
            "You have no line manager recorded, and their sign-off comes first (A.3.2). "
            "Ask your administrator to record your line manager, then submit again.",
            code=ErrorCode.INVALID,
        )
    assert submitted_by.organisation_id is not None
    request = ApprovalRequest.objects.create(
        organisation_id=submitted_by.organisation_id,
        kind=kind.value,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        title=title[:200],
        submitted_by=submitted_by,
        expires_on=expires_on,
    )
    for ordinal, spec in enumerate(specs, start=1):
        ApprovalStep.objects.create(
            request=request,
            ordinal=ordinal,
            name=spec.name,
            rule=spec.rule.value,
            role=spec.role,
            named_approver=submitted_by.line_manager if spec.rule == Rule.LINE_MANAGER else None,
            quorum=spec.quorum.value,
            clauses=list(spec.clauses),
            statement=spec.statement,
            status=ApprovalStep.Status.ACTIVE if ordinal == 1 else ApprovalStep.Status.WAITING,
        )
    audit_record(
        actor=submitted_by,
        action="approvals.request.open",
        target=request,
        clauses=_steps_clauses(request),
        details={"kind": kind.value, "subject": title},
    )
    _notify_turn(request)
    return request


def _check_signature(*, user: User, method: str, signature: str) -> str:
    """Appendix B asks for a signature: a re-entered password or the approver's typed name."""
    full_name = user.get_full_name() or user.get_username()
    if method == ApprovalDecision.SignatureMethod.PASSWORD:
        if not user.check_password(signature):
            raise ApplicationError("That password is not right: your decision was not recorded.")
        return full_name
    if " ".join(signature.split()).casefold() != " ".join(full_name.split()).casefold():
        raise ApplicationError(f"To sign, type your full name exactly as '{full_name}'.")
    return " ".join(signature.split())


@transaction.atomic
def approval_decide(
    *,
    request: ApprovalRequest,
    approver: User,
    decision: str,
    comment: str = "",
    signature_method: str,
    signature: str,
) -> ApprovalDecision:
    request = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ApprovalRequest.Status.PENDING:
        raise ApplicationError(
            f"This request is already {request.get_status_display().lower()}.",
            code=ErrorCode.ALREADY_DONE,
        )
    step = request.current_step()
    assert step is not None
    if approver.pk == request.submitted_by_id:
        raise ApplicationError(
            "Nobody approves their own request (A.3.4).", code=ErrorCode.FORBIDDEN
        )
    on_behalf_of = _authority(step=step, user=approver)
    if step.decisions.filter(approver=approver).exists():
        # An all-of step waits for others; a second click or tab must not sign twice.
        raise ApplicationError(
            f"You have already decided the {step.name} step; it is waiting for the others.",
            code=ErrorCode.ALREADY_DONE,
        )
    second = second_signature(step, approver, on_behalf_of)
    if second.is_second and second.others:
        # Each sign-off is a different person's (A.3.2): the point of several is several eyes.
        raise ApplicationError(
            f"You have already decided the {' and '.join(second.earlier)} step of this request, "
            f"and one person does not decide two steps. Someone else signs the {step.name} "
            f"step: {', '.join(str(p) for p in second.others)}.",
            code=ErrorCode.FORBIDDEN,
        )
    if decision != ApprovalDecision.Decision.APPROVE and not comment.strip():
        raise ApplicationError("Give a reason, so the author knows what to do next.")
    required = request.organisation.approval_signature
    if required != "either" and signature_method != required:
        label = "re-entering your password" if required == "password" else "typing your full name"
        raise ApplicationError(f"Your school asks approvers to sign by {label}.")
    signed_name = _check_signature(user=approver, method=signature_method, signature=signature)
    record = ApprovalDecision.objects.create(
        request=request,
        step=step,
        approver=approver,
        on_behalf_of=on_behalf_of,
        decision=decision,
        comment=comment.strip(),
        signed_name=signed_name,
        signature_method=signature_method,
    )
    _advance(request=request, step=step, decision=decision)
    audit_record(
        actor=approver,
        action=f"approvals.step.{decision}",
        target=request,
        clauses=step.clauses,
        details={
            "step": step.name,
            "ordinal": step.ordinal,
            "comment": comment.strip()[:500],
            "on_behalf_of": str(on_behalf_of) if on_behalf_of else "",
            "signature_method": signature_method,
            "second_signature_of": list(second.earlier),
        },
    )
    if second.is_second:
        # Nobody else can decide this step (in a small school the head teacher is often the
        # line manager too): the same person's second signature is recorded as an exception,
        # shown on the request and in every e-mail about it, never silently.
        audit_record(
            actor=approver,
            action="approvals.step.same_person",
            target=request,
            clauses=step.clauses,
            details={
                "step": step.name,
                "also_decided": list(second.earlier),
                "reason": f"Nobody else can decide the {step.name} step.",
            },
        )
    handler = _HANDLERS.get(request.kind)
    if handler is not None:
        handler(request, approver)
    _notify_decision(request=request, record=record, also_decided=second.earlier)
    return record


def _authority(*, step: ApprovalStep, user: User) -> User | None:
    """Whether ``user`` may decide this step, and for whom when acting as a deputy."""
    direct = approvers_for(step, include_deputies=False)
    if user in direct:
        return None
    for delegator in deputies_acting_for(user):
        if delegator in direct:
            return delegator
    raise ApplicationError(
        f"This request is waiting for the {step.name}; you cannot decide it.",
        code=ErrorCode.FORBIDDEN,
    )


def _advance(*, request: ApprovalRequest, step: ApprovalStep, decision: str) -> None:
    now = timezone.now()
    if decision == ApprovalDecision.Decision.APPROVE:
        if step.quorum == Quorum.ALL and _approvals_missing(step):
            return
        step.status = ApprovalStep.Status.APPROVED
        step.save(update_fields=["status"])
        following = request.steps.filter(ordinal__gt=step.ordinal).order_by("ordinal").first()
        if following is not None:
            following.status = ApprovalStep.Status.ACTIVE
            following.save(update_fields=["status"])
            return
        request.status = ApprovalRequest.Status.APPROVED
    else:
        rejected = decision == ApprovalDecision.Decision.REJECT
        step.status = ApprovalStep.Status.REJECTED if rejected else ApprovalStep.Status.RETURNED
        step.save(update_fields=["status"])
        request.steps.filter(status=ApprovalStep.Status.WAITING).update(
            status=ApprovalStep.Status.CANCELLED
        )
        request.status = (
            ApprovalRequest.Status.REJECTED
            if rejected
            else ApprovalRequest.Status.CHANGES_REQUESTED
        )
    request.decided_at = now
    request.save(update_fields=["status", "decided_at", "updated_at"])


def _approvals_missing(step: ApprovalStep) -> bool:
    approved = set(
        step.decisions.filter(decision=ApprovalDecision.Decision.APPROVE).values_list(
            "approver_id", "on_behalf_of_id"
        )
    )
    covered = {on_behalf or approver for approver, on_behalf in approved}
    return any(person.pk not in covered for person in approvers_for(step, include_deputies=False))


@transaction.atomic
def approval_withdraw(*, request: ApprovalRequest, by: User) -> None:
    if by.pk != request.submitted_by_id:
        raise ApplicationError("Only the author can withdraw a request.", code=ErrorCode.FORBIDDEN)
    if request.status != ApprovalRequest.Status.PENDING:
        raise ApplicationError("Only a request awaiting sign-off can be withdrawn.")
    request.status = ApprovalRequest.Status.WITHDRAWN
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at", "updated_at"])
    request.steps.exclude(status=ApprovalStep.Status.APPROVED).update(
        status=ApprovalStep.Status.CANCELLED
    )
    audit_record(actor=by, action="approvals.request.withdraw", target=request)


@transaction.atomic
def approval_expire_due(*, today: date | None = None) -> int:
    """A request not decided by its expiry date lapses; it never approves itself."""
    today = today or date.today()
    expired = 0
    for request in ApprovalRequest.objects.select_for_update().filter(
        status=ApprovalRequest.Status.PENDING, expires_on__lt=today
    ):
        request.status = ApprovalRequest.Status.EXPIRED
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at", "updated_at"])
        # As on withdrawal: nothing still says "awaiting decision" on a request that lapsed.
        request.steps.exclude(status=ApprovalStep.Status.APPROVED).update(
            status=ApprovalStep.Status.CANCELLED
        )
        audit_record(actor=None, action="approvals.request.expire", target=request)
        expired += 1
    return expired


@transaction.atomic
def delegation_create(
    *, delegator: User, deputy: User, starts_on: date, ends_on: date, reason: str = ""
) -> Delegation:
    """A.1.5: an approver on leave names a deputy from the same organisation's staff."""
    if not is_staff_member(delegator):
        raise ApplicationError("Only staff members name a deputy.", code=ErrorCode.FORBIDDEN)
    if deputy.pk == delegator.pk:
        raise ApplicationError("Choose someone else as your deputy.")
    if deputy.organisation_id != delegator.organisation_id:
        raise ApplicationError(
            "Your deputy must belong to your organisation.", code=ErrorCode.FORBIDDEN
        )
    if not is_staff_member(deputy) or deputy.has_left:
        raise ApplicationError("Your deputy must be a member of staff.")
    if ends_on < starts_on:
        raise ApplicationError("The delegation must end on or after the day it starts.")
    assert delegator.organisation_id is not None
    delegation = Delegation.objects.create(
        organisation_id=delegator.organisation_id,
        delegator=delegator,
        deputy=deputy,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
    )
    audit_record(
        actor=delegator,
        action="approvals.delegation.create",
        target=delegation,
        clauses=["A.1.5"],
        details={"deputy": str(deputy), "from": starts_on.isoformat(), "to": ends_on.isoformat()},
    )
    return delegation


def _involved(request: ApprovalRequest) -> set[Any]:
    people: set[Any] = {request.submitted_by}
    for step in request.steps.exclude(status=ApprovalStep.Status.WAITING):
        people.update(approvers_for(step))
    return people


def _notify_turn(request: ApprovalRequest) -> None:
    step = request.current_step()
    if step is None:
        return
    email_after_commit(
        recipients=approvers_for(step),
        subject=f"For your sign-off: {request}",
        template="approvals/email/your_turn.txt",
        context={"request": request, "step": step},
        organisation_id=request.organisation_id,
        category="approvals.your_turn",
    )


def _notify_decision(
    *, request: ApprovalRequest, record: ApprovalDecision, also_decided: tuple[str, ...] = ()
) -> None:
    email_after_commit(
        recipients=_involved(request),
        subject=f"{record.step.name}: {record.get_decision_display().lower()} - {request.title}",
        template="approvals/email/decision.txt",
        context={"request": request, "record": record, "also_decided": also_decided},
        organisation_id=request.organisation_id,
        category="approvals.decision",
    )
    if request.status == ApprovalRequest.Status.PENDING:
        _notify_turn(request)
