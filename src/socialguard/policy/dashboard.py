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
    policy_changes_for,
    policy_current,
    policy_review_open,
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
                body="This organisation has no Social Media Policy yet. The head teacher or an "
                "administrator uploads it (.docx, .md or .txt) and publishes it.",
                tone="warning",
                link_url=reverse("policy:upload") if _manages(user) else "",
                link_text="Upload the policy" if _manages(user) else "",
            )
        ]
    cards = [_acknowledgement_card(user, version)] if is_staff_member(user) else []
    review = policy_review_open(organisation=user.organisation)
    if review is not None and review.review_assignee_id == user.pk:
        cards.append(_assignee_card(review))
    if has_role(user, *LEADER_ROLES) and policy_review_overdue(version=version):
        cards.append(_overdue_card(user, version, review))
    if user.has_perm("policy.view_acknowledgements"):
        cards.append(_outstanding_card(user, version))
    return cards


def _overdue_card(
    user: User, version: PolicyVersion, review: PolicyVersion | None
) -> DashboardCard:
    assert version.next_review_on is not None
    body = (
        f"Its next review date was {date_format(version.next_review_on, 'F Y')}. Until it is "
        "reviewed and re-approved, staff are working to an out-of-date policy."
    )
    if review is not None and review.review_due_on is not None:
        assignee = review.review_assignee
        who = (assignee.get_full_name() or assignee.username) if assignee else "someone"
        due = date_format(review.review_due_on, "j F Y")
        return DashboardCard(
            title="The Social Media Policy is being reviewed",
            body=f"{body} {who} is preparing the {review.label}, due {due}.",
            tone="warning",
            link_url=reverse("policy:draft", args=[review.pk]) if _manages(user) else "",
            link_text="Open the draft" if _manages(user) else "",
        )
    if _manages(user):
        return DashboardCard(
            title="The Social Media Policy is overdue for review",
            body=f"{body} Start the review: a draft copied from version {version.version}, "
            "for someone to prepare by a date you choose.",
            tone="urgent",
            link_url=reverse("policy:review_start"),
            link_text="Start the review",
        )
    return DashboardCard(
        title="The Social Media Policy is overdue for review",
        body=f"{body} The head teacher starts the review with the governing body.",
        tone="urgent",
        link_url=reverse("policy:current"),
        link_text="Read the current version",
    )


def _manages(user: User) -> bool:
    return bool(user.has_perm("policy.manage"))


def _assignee_card(review: PolicyVersion) -> DashboardCard:
    assert review.review_due_on is not None
    return DashboardCard(
        title="Prepare the next version of the Social Media Policy",
        body=f"You were asked to review it by {date_format(review.review_due_on, 'j F Y')}: "
        "correct the draft's clauses, then tell the head teacher it is ready.",
        tone="todo",
        link_url=reverse("policy:draft", args=[review.pk]),
        link_text="Open the draft",
        order=15,
    )


def _acknowledgement_card(user: User, version: PolicyVersion) -> DashboardCard:
    ack = policy_acknowledged_by(person=user, version=version)
    if ack is not None:
        return DashboardCard(
            title="Policy acknowledged",
            body=f"You acknowledged version {version.version} on {date_format(ack.at, 'j F Y')}.",
            tone="done",
            order=200,
        )
    base, changes = policy_changes_for(person=user, version=version)
    if base is not None and policy_acknowledged_by(person=user, version=base) is not None:
        count = len(changes)
        return DashboardCard(
            title=f"A new version of the Social Media Policy: version {version.version}",
            body=f"{count} clause{'s' if count != 1 else ''} changed since version "
            f"{base.version}, which you acknowledged. Read what changed and acknowledge it.",
            tone="todo",
            link_url=reverse("policy:changes"),
            link_text="See what changed",
            clauses=("2.1",),
            order=10,
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
