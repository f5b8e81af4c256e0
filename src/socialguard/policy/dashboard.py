"""What the policy asks of the signed-in person today."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format

from socialguard.accounts.models import LEADER_ROLES, User
from socialguard.accounts.selectors import has_role, is_staff_member
from socialguard.core.dashboard import DashboardCard
from socialguard.policy.models import PolicyVersion
from socialguard.policy.selectors import (
    policy_acknowledged_by,
    policy_acknowledgement_status,
    policy_current,
    policy_review_overdue,
)


def policy_cards(user: User) -> list[DashboardCard]:
    if user.organisation is None:
        return []
    version = policy_current(organisation=user.organisation)
    if version is None:
        return [
            DashboardCard(
                title="No policy loaded",
                body="This organisation has no Social Media Policy yet. Import one with "
                "'socialguard policy import FILE'.",
                tone="warning",
            )
        ]
    cards = [_acknowledgement_card(user, version)] if is_staff_member(user) else []
    if has_role(user, *LEADER_ROLES) and policy_review_overdue(version=version):
        assert version.next_review_on is not None
        cards.append(
            DashboardCard(
                title="The Social Media Policy is overdue for review",
                body=f"Its next review date was {date_format(version.next_review_on, 'F Y')}. "
                "Until it is reviewed and re-approved, staff are working to an out-of-date "
                "policy. Arrange a review with the governing body.",
                tone="urgent",
                link_url=reverse("policy:current"),
                link_text="Read the current version",
            )
        )
    if user.has_perm("policy.view_acknowledgements"):
        cards.append(_outstanding_card(user, version))
    return cards


def _acknowledgement_card(user: User, version: PolicyVersion) -> DashboardCard:
    ack = policy_acknowledged_by(person=user, version=version)
    if ack is not None:
        return DashboardCard(
            title="Policy acknowledged",
            body=f"You acknowledged version {version.version} on {date_format(ack.at, 'j F Y')}.",
            tone="done",
            order=200,
        )
    return DashboardCard(
        title="Read and acknowledge the Social Media Policy",
        body="Every staff member, governor, contractor, trainee and volunteer must follow it.",
        tone="todo",
        link_url=reverse("policy:current") + "#acknowledge",
        link_text="Read the policy",
        clauses=("2.1",),
        order=10,
    )


def _outstanding_card(user: User, version: PolicyVersion) -> DashboardCard:
    assert user.organisation is not None
    groups = policy_acknowledgement_status(organisation=user.organisation, version=version)
    outstanding = sum(len(g.outstanding) for g in groups)
    total = sum(g.total for g in groups)
    lines = tuple(
        f"{g.school or 'Organisation-wide'}: {len(g.outstanding)} of {g.total} still to acknowledge"
        for g in groups
    )
    return DashboardCard(
        title=f"{outstanding} of {total} staff have not acknowledged the policy",
        body="Staff members who have not confirmed they have read the current version.",
        tone="warning" if outstanding else "done",
        link_url=reverse("policy:acknowledgements"),
        link_text="See who",
        items=lines,
        order=20,
    )
