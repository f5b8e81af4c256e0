"""Who may decide a step, and what is waiting for whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet, prefetch_related_objects

from socialguard.accounts.models import User
from socialguard.accounts.selectors import people_with_role, roles_of
from socialguard.approvals.models import (
    ApprovalDecision,
    ApprovalRequest,
    ApprovalStep,
    Delegation,
)
from socialguard.approvals.workflows import Rule


def _active_delegations(on: date | None = None) -> QuerySet[Delegation]:
    on = on or date.today()
    return Delegation.objects.filter(revoked=False, starts_on__lte=on, ends_on__gte=on)


def deputies_acting_for(user: Any) -> list[User]:
    """The people ``user`` currently deputises for."""
    return [
        d.delegator for d in _active_delegations().filter(deputy=user).select_related("delegator")
    ]


def approvers_for(step: ApprovalStep, *, include_deputies: bool = True) -> list[User]:
    """Who may decide the step now: never the author (A.3.4), plus named deputies (A.1.5)."""
    request = step.request
    if step.rule == Rule.LINE_MANAGER:
        direct = [step.named_approver] if step.named_approver else []
    else:
        direct = list(people_with_role(organisation=request.organisation, roles=[step.role]))
    direct = [p for p in direct if p.pk != request.submitted_by_id]
    if not include_deputies:
        return direct
    deputies = [
        d.deputy
        for d in _active_delegations().filter(delegator__in=direct).select_related("deputy")
        if d.deputy_id != request.submitted_by_id
    ]
    return direct + [d for d in deputies if d not in direct]


def approval_requests_awaiting(user: Any) -> list[ApprovalRequest]:
    """Requests whose current step this person (or someone they deputise for) may decide.

    A later approver sees nothing until the earlier steps have passed (Hootsuite's rule).
    """
    if not getattr(user, "organisation_id", None):
        return []
    people = [user, *deputies_acting_for(user)]
    roles = set().union(*(roles_of(p) for p in people))
    steps = (
        ApprovalStep.objects.filter(
            status=ApprovalStep.Status.ACTIVE,
            request__status=ApprovalRequest.Status.PENDING,
            request__organisation_id=user.organisation_id,
        )
        .filter(
            Q(rule=Rule.LINE_MANAGER, named_approver__in=people) | Q(rule=Rule.ROLE, role__in=roles)
        )
        .exclude(request__submitted_by=user)
        .select_related("request", "request__submitted_by")
        .order_by("request__created_at")
    )
    requests = [step.request for step in steps]
    prefetch_related_objects(requests, "steps")  # the inbox shows each request's current step
    return requests


def access_approval_request(*, user: Any, pk: int) -> ApprovalRequest | None:
    """A request is visible to its author, to those whose step has been reached, and to
    the organisation's administrators; never across organisations."""
    org_id = getattr(user, "organisation_id", None)
    if not org_id:
        return None
    request = (
        ApprovalRequest.objects.filter(pk=pk, organisation_id=org_id)
        .select_related("submitted_by")
        .first()
    )
    if request is None:
        return None
    if request.submitted_by_id == user.pk or "administrator" in roles_of(user):
        return request
    for step in request.steps.exclude(status=ApprovalStep.Status.WAITING):
        if user in approvers_for(step):
            return request
    return None


# --- One person, one step --------------------------------------------------------------------


def _persons(decision: ApprovalDecision) -> set[int]:
    """Whose signature a decision is: the signer's, and the approver's they deputised for."""
    return {decision.approver_id, *([decision.on_behalf_of_id] if decision.on_behalf_of_id else [])}


@dataclass(frozen=True)
class SecondSignature:
    """Whether deciding ``step`` would be a second signature on the same request: the steps
    this person (or the approver they deputise for) already decided, and who else could decide
    this one instead."""

    earlier: tuple[str, ...] = ()
    others: tuple[User, ...] = ()

    @property
    def is_second(self) -> bool:
        return bool(self.earlier)


def second_signature(step: ApprovalStep, user: Any, on_behalf_of: Any = None) -> SecondSignature:
    people = {user.pk, *([on_behalf_of.pk] if on_behalf_of is not None else [])}
    earlier = [
        d
        for d in step.request.decisions.exclude(step=step).select_related("step")
        if _persons(d) & people
    ]
    if not earlier:
        return SecondSignature()
    signed: set[int] = set()
    for decision in step.request.decisions.exclude(step=step):
        signed |= _persons(decision)
    others = tuple(p for p in approvers_for(step) if p.pk not in signed)
    names = tuple(dict.fromkeys(d.step.name for d in sorted(earlier, key=lambda d: d.step.ordinal)))
    return SecondSignature(earlier=names, others=others)


def second_step_decisions(decisions: list[ApprovalDecision]) -> dict[int, list[str]]:
    """For a request's decisions in time order: those that were a second signature by the same
    person (a recorded exception), with the earlier steps that person decided."""
    flagged: dict[int, list[str]] = {}
    for index, decision in enumerate(decisions):
        earlier = [
            d.step.name
            for d in decisions[:index]
            if d.step_id != decision.step_id and _persons(d) & _persons(decision)
        ]
        if earlier:
            flagged[decision.pk] = list(dict.fromkeys(earlier))
    return flagged
