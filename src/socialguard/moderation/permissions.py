"""What a person may do with a review item, decided on the server per item and per person
(Discourse's ``actions_for``). Views show these actions and ``review_perform`` checks them
again, so a hidden button is never the only protection.

- Moderators and administrators of a site decide its posts, comments, images and reports.
- Administrators and the named vetter decide who joins (A.5.7, A.2.6); only the
  Communications Manager approves an external organisation as a friend (A.5.9).
- Nobody decides their own contribution or their own request (A.3.4).
- An item handed to the safeguarding leads leaves the queue: the leads act on it in
  ``safeguarding`` (A.2.3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from socialguard.accounts.models import SAFEGUARDING_ROLES, Role
from socialguard.accounts.selectors import roles_of
from socialguard.moderation.models import ReviewItem
from socialguard.sites.models import Site, SiteRole

CLAIM_TTL = timedelta(minutes=30)  # an abandoned claim lapses; nothing stays locked for ever
CONTENT_TYPES = frozenset(
    {
        ReviewItem.Type.QUEUED_POST,
        ReviewItem.Type.QUEUED_COMMENT,
        ReviewItem.Type.QUEUED_IMAGE,
        ReviewItem.Type.REPORT,
    }
)
MEMBERSHIP_TYPES = frozenset({ReviewItem.Type.JOIN_REQUEST, ReviewItem.Type.FRIEND_REQUEST})

ACTION_LABELS = {
    "approve": "Approve",
    "edit_approve": "Edit and approve",
    "reject": "Reject",
    "remove": "Remove from the site",
    "dismiss": "Keep (dismiss the report)",
    "suspend_author": "Suspend the member",
    "raise_safeguarding": "Raise a safeguarding concern",
    "claim": "Claim",
    "release": "Release",
}
# Actions that finish an item; the bulk form offers only the first two.
BULK_ACTIONS = ("approve", "reject")


@dataclass
class Reviewer:
    """Everything needed to decide actions for many items without a query per item."""

    user: Any
    organisation_id: int | None
    moderated_site_ids: set[int] = field(default_factory=set)
    vetting_site_ids: set[int] = field(default_factory=set)
    is_comms: bool = False
    is_dsl: bool = False

    @property
    def reviews_anything(self) -> bool:
        return bool(self.moderated_site_ids or self.vetting_site_ids or self.is_comms)


def reviewer_for(user: Any) -> Reviewer:
    if not user.is_authenticated or user.organisation_id is None:
        return Reviewer(user=user, organisation_id=None)
    roles = roles_of(user)
    site_roles = list(
        SiteRole.objects.filter(
            user=user, active=True, site__organisation_id=user.organisation_id
        ).values_list("site_id", "role")
    )
    vetted = set(
        Site.objects.filter(vetter=user, organisation_id=user.organisation_id).values_list(
            "pk", flat=True
        )
    )
    return Reviewer(
        user=user,
        organisation_id=user.organisation_id,
        moderated_site_ids={site for site, _ in site_roles},
        vetting_site_ids={s for s, r in site_roles if r == SiteRole.Role.ADMINISTRATOR} | vetted,
        is_comms=Role.COMMS_MANAGER in roles,
        is_dsl=any(role in roles for role in SAFEGUARDING_ROLES),
    )


def claimed_by_other(item: ReviewItem, user: Any) -> bool:
    return bool(
        item.claimed_by_id
        and item.claimed_by_id != user.pk
        and item.claimed_at
        and timezone.now() - item.claimed_at < CLAIM_TTL
    )


def can_see(item: ReviewItem, reviewer: Reviewer) -> bool:
    if item.organisation_id != reviewer.organisation_id:
        return False
    if item.status == ReviewItem.Status.SAFEGUARDING:
        return reviewer.is_dsl
    if item.type in MEMBERSHIP_TYPES:
        external = bool(item.membership and item.membership.external_organisation)
        return item.site_id in reviewer.vetting_site_ids or (external and reviewer.is_comms)
    return item.site_id in reviewer.moderated_site_ids


def actions_for(item: ReviewItem, reviewer: Reviewer) -> list[str]:
    if not can_see(item, reviewer):
        return []
    user = reviewer.user
    if item.status == ReviewItem.Status.SAFEGUARDING:
        return []  # the leads act on it where it now lives (safeguarding.escalations)
    if item.status != ReviewItem.Status.PENDING or item.target_author_id == user.pk:
        return []
    if claimed_by_other(item, user):
        return []
    claim = ["release"] if item.claimed_by_id == user.pk else ["claim"]
    if item.type in MEMBERSHIP_TYPES:
        external = bool(item.membership and item.membership.external_organisation)
        decide = ["approve", "reject"] if (reviewer.is_comms or not external) else ["reject"]
        return [*decide, *claim]
    # Staff of the site hold no membership to suspend; members do.
    suspend = ["suspend_author"] if item.payload.get("membership_id") else []
    if item.type == ReviewItem.Type.REPORT:
        return ["remove", "dismiss", "raise_safeguarding", *suspend, *claim]
    return ["approve", "edit_approve", "reject", "raise_safeguarding", *suspend, *claim]
