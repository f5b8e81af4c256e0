"""The dashboard card: where staff find the check, and, for those who read the governors'
report, how many checks were made (the one figure this app keeps)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.accounts.selectors import is_staff_member
from socialguard.core.dashboard import DashboardCard
from socialguard.postcheck.selectors import post_checks_total

COUNT_DAYS = 30


def postcheck_cards(user: User) -> list[DashboardCard]:
    if user.organisation is None or not is_staff_member(user):
        return []
    body = (
        "Paste a post for your own social media before you publish it: socialguard says what "
        "the policy asks you to change. Nothing you paste is saved or shown to anyone."
    )
    if user.has_perm("reports.view_governance"):
        today = timezone.localdate()
        total = post_checks_total(
            organisation=user.organisation,
            since=today - timedelta(days=COUNT_DAYS - 1),
            until=today,
        )
        body += (
            f" Staff checked {total} post{'s' if total != 1 else ''} in the last {COUNT_DAYS} days."
        )
    return [
        DashboardCard(
            title="Check a post before you publish it",
            body=body,
            link_url=reverse("postcheck:check"),
            link_text="Check my post",
            clauses=("6.1", "6.8", "6.9"),
            order=150,
        )
    ]
