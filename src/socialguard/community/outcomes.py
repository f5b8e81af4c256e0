"""What the review queue's decisions do to content and membership: community owns both, so
these are community's services, registered with ``moderation.outcomes`` when the app is ready.
Each runs inside the queue's transaction (which writes the one audit event for the decision)
and saves only the fields it changes."""

from __future__ import annotations

from django.utils import timezone

from socialguard.accounts.models import User
from socialguard.community import selectors
from socialguard.community.models import CommunitySettings, Contribution, Membership
from socialguard.community.rendering import body_html
from socialguard.moderation.outcomes import ContentEvidence


def _contribution(contribution_id: int) -> Contribution:
    return Contribution.objects.select_for_update(of=("self",)).get(pk=contribution_id)


def _kind(contribution: Contribution) -> str:
    return contribution.get_kind_display().lower()


def contribution_publish(*, contribution_id: int, by: User, body: str | None = None) -> str:
    """Publish (A.5.3); with ``body``, the moderator's edit, the author's words kept. Returns
    the text as it was before."""
    contribution = _contribution(contribution_id)
    before = contribution.body
    fields = ["status", "published_at", "updated_at"]
    if body is not None:
        contribution.original_body = contribution.original_body or before
        contribution.body, contribution.body_html = body, body_html(body)
        fields += ["body", "body_html", "original_body"]
    contribution.status = Contribution.Status.PUBLISHED
    contribution.published_at = timezone.now()
    contribution.save(update_fields=fields)
    return before


def _refuse(contribution_id: int, status: str, why: str) -> str:
    contribution = _contribution(contribution_id)
    contribution.status, contribution.reason = status, why
    contribution.save(update_fields=["status", "reason", "updated_at"])
    return _kind(contribution)


def contribution_reject(*, contribution_id: int, by: User, why: str) -> str:
    return _refuse(contribution_id, Contribution.Status.REJECTED, why)


def contribution_remove(*, contribution_id: int, by: User, why: str) -> str:
    return _refuse(contribution_id, Contribution.Status.REMOVED, why)


def contribution_withhold(*, contribution_id: int) -> None:
    """With the safeguarding leads: never shown, its image served to nobody here (A.2.3)."""
    Contribution.objects.filter(pk=contribution_id).exclude(
        status=Contribution.Status.WITHHELD
    ).update(status=Contribution.Status.WITHHELD, updated_at=timezone.now())


def contribution_hold(*, contribution_id: int, blocked: bool) -> None:
    """Back from the leads: held for a moderator again (never published by this step)."""
    Contribution.objects.filter(pk=contribution_id, status=Contribution.Status.WITHHELD).update(
        status=Contribution.Status.BLOCKED if blocked else Contribution.Status.PENDING,
        updated_at=timezone.now(),
    )


def contribution_evidence(*, contribution_id: int) -> ContentEvidence:
    """What was said, by whom, where and when, and the image's bytes, for the leads' record."""
    contribution = Contribution.objects.select_related("author", "image", "site").get(
        pk=contribution_id
    )
    author = contribution.author
    image = None
    if contribution.image is not None:
        with contribution.image.file.open("rb") as handle:
            image = (handle.read(), contribution.image.content_type)
    return ContentEvidence(
        record={
            "contribution_id": contribution.pk,
            "kind": contribution.kind,
            "content": contribution.body,
            "image_sha256": contribution.image.sha256 if contribution.image else "",
            "author_id": author.pk,
            "author": author.get_full_name() or author.username,
            "shown_as": contribution.author_label,
            "site_id": contribution.site_id,
            "written_at": contribution.created_at.isoformat(),
        },
        place=f"Official site: {contribution.site.name}",
        school_id=contribution.site.school_id,
        image=image,
    )


def _decide(membership_id: int, status: str, by: User, why: str = "") -> None:
    membership = Membership.objects.select_for_update().get(pk=membership_id)
    membership.status, membership.reason = status, why
    membership.decided_by, membership.decided_at = by, timezone.now()
    membership.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])


def membership_approve(*, membership_id: int, by: User) -> None:
    _decide(membership_id, Membership.Status.APPROVED, by)


def membership_refuse(*, membership_id: int, by: User, why: str) -> None:
    _decide(membership_id, Membership.Status.REFUSED, by, why)


def membership_suspend(*, membership_id: int, by: User, why: str) -> None:
    _decide(membership_id, Membership.Status.SUSPENDED, by, why)


def house_rules(*, site_id: int) -> list[str]:
    from socialguard.sites.models import Site

    site = Site.objects.filter(pk=site_id).first()
    return selectors.house_rules(site) if site is not None else []


def review_targets() -> dict[int, int]:
    return dict(CommunitySettings.objects.values_list("site_id", "review_target_minutes"))
