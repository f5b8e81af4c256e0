"""Sites short of cover appear on the dashboards of those who must act (A.5.4, A.1.5)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from socialguard.accounts.models import Role, User
from socialguard.accounts.selectors import has_role
from socialguard.core.dashboard import DashboardCard
from socialguard.sites.models import Site


def sites_cards(user: User) -> list[DashboardCard]:
    if user.organisation_id is None:
        return []
    short = Site.objects.filter(
        organisation_id=user.organisation_id,
        degraded_since__isnull=False,
        status__in=(Site.Status.LIVE, Site.Status.REVIEW_DUE),
    )
    if not has_role(user, Role.HEAD_TEACHER, Role.COMMS_MANAGER):
        short = short.filter(Q(owner=user) | Q(roles__user=user, roles__active=True)).distinct()
    names = [site.name for site in short[:5]]
    if not names:
        return []
    plural = "sites are" if len(names) != 1 else "site is"
    return [
        DashboardCard(
            title=f"{len(names)} official {plural} short of cover",
            body="Fewer than two administrators or moderators are available now or in the next "
            "week, so contributions are held or the site is read-only until cover is restored.",
            tone="urgent",
            link_url=reverse("sites:register") + "?status=live",
            link_text="See the register",
            clauses=("A.5.4", "A.1.5"),
            items=tuple(names),
            order=3,
        )
    ]
