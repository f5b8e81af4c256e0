"""Who may see and do what on a school-hosted site, and what members see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from socialguard.accounts.models import Role, User
from socialguard.accounts.selectors import has_role, is_staff_member
from socialguard.community.models import CommunitySettings, Contribution, Membership
from socialguard.sites.models import Site, SiteDocument, SiteRole

# Members see a site while it runs and while it closes (read-only then).
VISIBLE = (Site.Status.LIVE, Site.Status.REVIEW_DUE, Site.Status.CLOSING)


def community_settings(site: Site) -> CommunitySettings:
    try:
        return site.community
    except CommunitySettings.DoesNotExist:
        settings, _ = CommunitySettings.objects.get_or_create(site=site)
        return settings


def hosted_sites() -> QuerySet[Site]:
    return Site.objects.filter(host=Site.Host.SCHOOL, status__in=VISIBLE)


def site_team_ids(site: Site) -> set[int]:
    """The owner and the site's active administrators and moderators."""
    cached = getattr(site, "_sg_team_ids", None)
    if cached is None:
        cached = {site.owner_id} | set(
            site.roles.filter(active=True).values_list("user_id", flat=True)
        )
        site._sg_team_ids = cached  # type: ignore[attr-defined]
    return cached


def membership_of(site: Site, user: Any) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(site=site, user=user).first()


def can_view(site: Site, user: Any, membership: Membership | None = None) -> bool:
    """Pages of a school-hosted site, pupils' contributions included, are never public."""
    if not user.is_authenticated or user.organisation_id != site.organisation_id:
        return False
    if site.status not in VISIBLE or site.host != Site.Host.SCHOOL:
        return False
    if user.pk in site_team_ids(site):
        return True
    membership = membership or membership_of(site, user)
    return membership is not None and membership.status == Membership.Status.APPROVED


def contribution_refusal(
    site: Site, user: Any, kind: str, membership: Membership | None, mode: str
) -> str:
    """Why ``user`` may not add a contribution of ``kind`` now, or '' when they may (A.5.1)."""
    if mode == "read_only":
        return "This site is read-only at the moment, so nothing new can be added."
    settings = community_settings(site)
    allowed: dict[str, bool] = {
        Contribution.Kind.POST.value: settings.allow_posts,
        Contribution.Kind.COMMENT.value: settings.allow_comments,
        Contribution.Kind.IMAGE.value: settings.allow_images,
    }
    if not allowed.get(kind, False):
        return f"This site does not take {Contribution.Kind(kind).label.lower()}s."
    if user.pk in site_team_ids(site):
        return ""
    if membership is None or membership.status != Membership.Status.APPROVED:
        return "Only approved members can contribute to this site."
    if membership.kind == Membership.Kind.FRIEND and kind != Contribution.Kind.COMMENT:
        return "Friends of the site may comment; posts and images come from members."
    return ""


def author_label(site: Site, user: User, membership: Membership | None) -> str:
    """Staff by name and position (A.4.8); pupils by pseudonym or first name and initial, as
    the site chooses (A.5.2); other participants by first name and initial, so that nobody
    outside the school can identify them (A.5.2)."""
    initial = f"{user.last_name[:1]}." if user.last_name else ""
    if has_role(user, Role.PUPIL):
        settings = community_settings(site)
        if settings.pupil_names == CommunitySettings.PupilNames.PSEUDONYM and membership:
            return membership.display_name or "A pupil"
        return f"{user.first_name} {initial}".strip() or "A pupil"
    if is_staff_member(user) or user.pk in site_team_ids(site):
        name = user.get_full_name() or user.username
        return f"{name}, {user.position}" if user.position else name
    if membership and membership.external_organisation:
        return membership.external_organisation
    return f"{user.first_name} {initial}".strip() or "A member"


def stream(site: Site) -> QuerySet[Contribution]:
    """Published posts and images, newest first, each with its published comments."""
    comments = Contribution.objects.filter(status=Contribution.Status.PUBLISHED).order_by(
        "published_at"
    )
    return (
        Contribution.objects.filter(
            site=site,
            status=Contribution.Status.PUBLISHED,
            kind__in=(Contribution.Kind.POST, Contribution.Kind.IMAGE),
        )
        .select_related("image")
        .prefetch_related(Prefetch("comments", queryset=comments, to_attr="published_comments"))
        .order_by("-published_at")
    )


def contributions_of(site: Site, user: Any) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(site=site, author=user)
        .select_related("image", "parent")
        .order_by("-created_at")
    )


def current_document(site: Site, kind: str) -> SiteDocument | None:
    return site.documents.filter(kind=kind).order_by("-version").first()


def house_rules(site: Site) -> list[str]:
    """The current House Rules, one rule per non-empty line, numbered from 1 by position."""
    document = current_document(site, SiteDocument.Kind.HOUSE_RULES)
    if document is None:
        return []
    lines = [line.strip() for line in document.text.splitlines()]
    return [line.lstrip("0123456789.)-• ").strip() for line in lines if line.strip()]


def community_sites_for(user: Any) -> list[tuple[Site, Membership | None, bool]]:
    """Every school-hosted site of the user's organisation with the user's place on it."""
    if not user.is_authenticated or user.organisation_id is None:
        return []
    sites = list(
        hosted_sites()
        .filter(organisation_id=user.organisation_id)
        .select_related("school")
        .order_by("name")
    )
    memberships = {
        m.site_id: m for m in Membership.objects.filter(user=user, site__in=[s.pk for s in sites])
    }
    team = set(
        SiteRole.objects.filter(user=user, active=True, site__in=sites).values_list(
            "site_id", flat=True
        )
    )
    return [
        (site, memberships.get(site.pk), site.pk in team or site.owner_id == user.pk)
        for site in sites
    ]


def member_can_report(contribution: Contribution, user: Any) -> bool:
    return contribution.visible_to_members and contribution.author_id != user.pk


def sites_moderated_by(user: Any) -> QuerySet[Site]:
    return Site.objects.filter(Q(roles__user=user, roles__active=True) | Q(vetter=user)).distinct()
