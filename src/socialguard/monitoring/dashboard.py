"""Monitoring's dashboard cards: findings to triage for the IT / monitoring lead, the head teacher
and (pupils' findings) the safeguarding leads; the DfE annual review's next due date and who has
not accepted the 8.2 notice for the IT lead; the weekly charts for the governors."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import Role, User
from socialguard.accounts.selectors import has_role
from socialguard.core.dashboard import DashboardCard
from socialguard.monitoring import notices, selectors
from socialguard.monitoring.models import FilteringReview

REVIEW_SOON = timedelta(days=30)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def monitoring_cards(user: User) -> list[DashboardCard]:
    organisation = user.organisation
    if organisation is None:
        return []
    cards: list[DashboardCard] = []
    if selectors.can_see_monitoring(user, organisation):
        count = selectors.open_findings_count(user=user, organisation=organisation)
        pupils_only = not has_role(user, Role.IT_LEAD, Role.HEAD_TEACHER)
        cards.append(
            DashboardCard(
                title=f"{_plural(count, 'monitoring finding')} to triage",
                body=("Pupils' searches the monitoring found. " if pupils_only else "")
                + "Open each, read its log lines, and mark it confirmed or a false positive.",
                tone="warning" if count else "done",
                link_url=reverse("monitoring:findings") + "?status=open",
                link_text="Open monitoring findings",
                clauses=("8.1", "6.11", "6.13", "A.2.3"),
                order=20,
            )
        )
    if has_role(user, Role.IT_LEAD):
        cards += [_review_card(user), _notice_card(user)]
    elif has_role(user, Role.GOVERNOR):
        cards.append(
            DashboardCard(
                title="Internet use by week",
                body="Visits to each kind of site on the school's network: totals, no names.",
                link_url=reverse("monitoring:charts"),
                link_text="Open the charts",
                clauses=("8.1",),
                order=60,
            )
        )
    return cards


def _review_card(user: User) -> DashboardCard:
    review = FilteringReview.objects.filter(organisation_id=user.organisation_id or 0).first()
    today = timezone.localdate()
    if review is None:
        title, tone, body = (
            "Filtering and monitoring review not recorded",
            "warning",
            "The DfE standards ask for a review at least once a year: record the last one.",
        )
    else:
        late = review.next_due < today
        title = f"Filtering and monitoring review due {review.next_due:%-d %B %Y}"
        tone = "urgent" if late else "warning" if review.next_due - today <= REVIEW_SOON else "info"
        body = ("It is overdue. " if late else "") + (
            f"Last reviewed {review.reviewed_on:%-d %B %Y}."
        )
    return DashboardCard(
        title=title,
        body=body,
        tone=tone,  # type: ignore[arg-type]
        link_url=reverse("monitoring:review"),
        link_text="Record a review",
        clauses=("8.1",),
        order=30,
    )


def _notice_card(user: User) -> DashboardCard:
    assert user.organisation is not None
    notice = notices.notice_current(organisation=user.organisation)
    pending = notices.people_not_accepted(notice=notice).count()
    return DashboardCard(
        title=f"{_plural(pending, 'person', 'people')} not yet accepted the acceptable-use notice",
        body=f"Version {notice.version}: users have no expectation of privacy on the school's ICT.",
        tone="todo" if pending else "done",
        link_url=reverse("monitoring:notice_manage"),
        link_text="Open the notice",
        clauses=("8.2",),
        order=40,
    )


def register() -> None:
    from socialguard.core.dashboard import register_dashboard_provider

    register_dashboard_provider(monitoring_cards)
