"""Contributing to a school-hosted site and joining one. Every contribution is screened and
then held for a moderator (A.5.3); nothing here publishes anything."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction

from socialguard.accounts.models import Role, User
from socialguard.accounts.roster import roster_for
from socialguard.accounts.selectors import has_role, is_staff_member
from socialguard.audit.services import audit_record
from socialguard.community import selectors
from socialguard.community.images import image_clean
from socialguard.community.models import Contribution, Image, Membership
from socialguard.community.rendering import body_html
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.moderation.models import ReviewItem, ReviewSignal
from socialguard.moderation.services import review_escalate_from_screening, review_item_open
from socialguard.screening.base import Context, HouseRule, Roster, Verdict
from socialguard.screening.engine import Screener
from socialguard.sites.models import Site
from socialguard.sites.staffing import site_mode

MAX_BODY = 5000
DSL_ESCALATIONS = frozenset({"dsl", "police_ceop"})
DSL_CATEGORIES = frozenset({"threat"})
ROSTER_SECONDS = 60
SEVERITY_PRIORITY = {"critical": 3, "high": 2, "medium": 1, "low": 0}
ITEM_TYPES = {
    Contribution.Kind.POST: ReviewItem.Type.QUEUED_POST,
    Contribution.Kind.COMMENT: ReviewItem.Type.QUEUED_COMMENT,
    Contribution.Kind.IMAGE: ReviewItem.Type.QUEUED_IMAGE,
}
_ADJECTIVES = (
    "Amber",
    "Blue",
    "Bright",
    "Calm",
    "Clever",
    "Coral",
    "Golden",
    "Green",
    "Happy",
    "Jolly",
    "Kind",
    "Lively",
    "Misty",
    "Quiet",
    "Silver",
    "Sunny",
    "Swift",
    "Teal",
)
_ANIMALS = (
    "Badger",
    "Beaver",
    "Fox",
    "Hare",
    "Heron",
    "Kestrel",
    "Koala",
    "Lynx",
    "Otter",
    "Owl",
    "Panda",
    "Puffin",
    "Robin",
    "Seal",
    "Squirrel",
    "Swan",
    "Tiger",
    "Wren",
)


def _roster(site: Site) -> Roster:
    key = f"socialguard:roster:{site.organisation_id}"
    roster = cache.get(key)
    if roster is None:
        roster = Roster.from_dict(roster_for(organisation=site.organisation))
        cache.set(key, roster, ROSTER_SECONDS)
    return roster


def _author_role(user: User) -> str:
    if has_role(user, Role.PUPIL):
        return "pupil"
    return "staff" if is_staff_member(user) else "member"


def contribution_screen(site: Site, author: User, text: str) -> Verdict:
    settings = selectors.community_settings(site)
    rules = tuple(
        HouseRule(
            pattern=str(w.get("pattern", "")),
            action=w.get("action", "review"),
            rule_id=f"watched:{n}",
        )
        for n, w in enumerate(settings.watched_words, start=1)
        if w.get("pattern")
    )
    context = Context(
        audience="official_site",
        author_role=_author_role(author),
        roster=_roster(site),
        house_rules=rules,
    )
    return Screener.default().screen(text, context=context)


def _payload(verdict: Verdict, membership: Membership | None) -> dict[str, Any]:
    return {
        "action": verdict.action,
        "escalate": sorted(verdict.escalate),
        "findings": [
            {
                "detector": f.detector,
                "category": f.category,
                "clauses": list(f.clauses),
                "severity": f.severity,
                "score": round(f.score, 3),
                "start": f.start,
                "end": f.end,
                "explanation": f.explanation,
                "redact": f.redact,
            }
            for f in verdict.findings
        ],
        "redacted": verdict.redacted,
        "membership_id": membership.pk if membership else None,
    }


def _safeguarding_category(verdict: Verdict) -> str | None:
    """The bridge to the DSL runs for findings that themselves point at a child at risk
    (disclosures, self-harm, grooming, bullying, threats). Extreme offence (A.5.6) is blocked
    and shown to a moderator to confirm, who can pass it on; the page says the engine suggests
    telling the DSL."""
    for finding in verdict.findings:
        if finding.escalate & DSL_ESCALATIONS or finding.category in DSL_CATEGORIES:
            return finding.category
    return None


@transaction.atomic
def contribution_submit(
    *,
    site: Site,
    by: User,
    kind: str,
    body: str = "",
    image: bytes | None = None,
    parent: Contribution | None = None,
) -> Contribution:
    """Screen, store and hold a post, comment or image for a moderator (A.5.3)."""
    site = Site.objects.select_related("organisation", "school").get(pk=site.pk)
    membership = selectors.membership_of(site, by)
    refusal = selectors.contribution_refusal(site, by, kind, membership, site_mode(site))
    if refusal:
        raise ApplicationError(refusal, code=ErrorCode.FORBIDDEN)
    body = body.strip()
    if len(body) > MAX_BODY:
        raise ApplicationError(f"Keep it under {MAX_BODY} characters.")
    if kind == Contribution.Kind.COMMENT:
        if parent is None or parent.site_id != site.pk or not parent.visible_to_members:
            raise ApplicationError("You can only comment on a published post.")
        if parent.kind == Contribution.Kind.COMMENT:
            raise ApplicationError("Replies go on the post, not on another comment.")
    if kind == Contribution.Kind.IMAGE and not image:
        raise ApplicationError("Choose an image to upload.")
    if kind != Contribution.Kind.IMAGE and not body:
        raise ApplicationError("Write something first.")

    stored: Image | None = None
    if image is not None:
        clean = image_clean(image)
        stored = Image(
            site=site,
            uploaded_by=by,
            content_type=clean.content_type,
            width=clean.width,
            height=clean.height,
            size=len(clean.data),
            sha256=clean.sha256,
            faces=clean.faces,
            metadata_removed=clean.metadata_removed,
        )
        stored.file.save(
            f"{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.data), save=False
        )
        stored.save()

    verdict = contribution_screen(site, by, body) if body else None
    blocked = verdict is not None and verdict.action == "block"
    contribution = Contribution.objects.create(
        site=site,
        author=by,
        author_label=selectors.author_label(site, by, membership),
        kind=kind,
        parent=parent,
        body=body,
        body_html=body_html(body),
        image=stored,
        status=Contribution.Status.BLOCKED if blocked else Contribution.Status.PENDING,
    )
    severities = [SEVERITY_PRIORITY.get(f.severity, 1) for f in verdict.findings] if verdict else []
    faces = stored.faces if stored else 0
    reasons = (
        [f"{f.category} ({', '.join(f.clauses)})" for f in verdict.findings] if verdict else []
    )
    if faces:
        reasons.append(f"{faces} face(s): confirm consent for any pupils shown (A.5.2, 6.9)")
    payload = (
        _payload(verdict, membership)
        if verdict
        else {
            "findings": [],
            "redacted": "",
            "membership_id": membership.pk if membership else None,
        }
    )
    payload["metadata_removed"] = stored.metadata_removed if stored else []
    item = review_item_open(
        site=site,
        type=ITEM_TYPES[Contribution.Kind(kind)],
        author=by,
        contribution=contribution,
        signal_source=ReviewSignal.Source.SCREENING if reasons else ReviewSignal.Source.SYSTEM,
        signal_reason="; ".join(reasons) or "Pre-moderation: every contribution is checked.",
        priority=max([*severities, 2 if faces else 0, 3 if blocked else 0, 0]),
        score=max((f.score for f in verdict.findings), default=0.0) if verdict else 0.0,
        payload=payload,
        blocked=blocked,
        faces=faces,
    )
    audit_record(
        actor=by,
        action="community.contribution.submit",
        target=contribution,
        clauses=sorted(
            {"A.5.3", *(c for f in (verdict.findings if verdict else ()) for c in f.clauses)}
        ),
        organisation_id=site.organisation_id,
        details={
            "kind": kind,
            "site": site.pk,
            "screening": verdict.action if verdict else "none",
            "faces": faces,
            "item": item.pk,
        },
    )
    category = _safeguarding_category(verdict) if verdict is not None else None
    if category is not None:
        review_escalate_from_screening(item=item, category=category)
        contribution.refresh_from_db()
    return contribution


@transaction.atomic
def contribution_report(*, contribution: Contribution, by: User, reason: str) -> ReviewItem:
    """'Report this': one review item per contribution; a second report adds a signal."""
    if not selectors.can_view(contribution.site, by) or not contribution.visible_to_members:
        raise ApplicationError("No such post.", code=ErrorCode.NOT_FOUND)
    if not reason.strip():
        raise ApplicationError("Say what is wrong with it.")
    item = review_item_open(
        site=contribution.site,
        type=ReviewItem.Type.REPORT,
        author=contribution.author,
        contribution=contribution,
        signal_source=ReviewSignal.Source.MEMBER_REPORT,
        signal_reason=reason.strip(),
        actor=by,
        priority=ReviewItem.Priority.HIGH,
        score=1.0,
        payload={
            "findings": [],
            "redacted": "",
            "membership_id": Membership.objects.filter(
                site=contribution.site, user=contribution.author
            )
            .values_list("pk", flat=True)
            .first(),
        },
    )
    audit_record(
        actor=by,
        action="community.contribution.report",
        target=contribution,
        clauses=["A.5.7"],
        organisation_id=contribution.site.organisation_id,
        details={"item": item.pk},
    )
    return item


def _pseudonym(site: Site) -> str:
    taken = set(Membership.objects.filter(site=site).values_list("display_name", flat=True))
    for _ in range(50):
        name = (
            f"{secrets.choice(_ADJECTIVES)} {secrets.choice(_ANIMALS)} {secrets.randbelow(90) + 10}"
        )
        if name not in taken:
            return name
    return f"Member {secrets.token_hex(3)}"


@transaction.atomic
def membership_request(
    *, site: Site, by: User, kind: str, note: str = "", external_organisation: str = ""
) -> Membership:
    """Ask to join, or to be a friend; the site's administrators or vetter decide (A.5.7,
    A.2.6), the Communications Manager for an external organisation (A.5.9)."""
    if site.host != Site.Host.SCHOOL or site.status not in selectors.VISIBLE:
        raise ApplicationError("This site is not open.", code=ErrorCode.NOT_FOUND)
    if by.organisation_id != site.organisation_id:
        raise ApplicationError(
            "This site is for its own school community.", code=ErrorCode.FORBIDDEN
        )
    if site_mode(site) == "read_only":
        raise ApplicationError("This site is read-only at the moment; ask again later.")
    if by.pk in selectors.site_team_ids(site):
        raise ApplicationError("You run this site already.", code=ErrorCode.ALREADY_DONE)
    external_organisation = external_organisation.strip()
    if external_organisation and kind != Membership.Kind.FRIEND:
        raise ApplicationError("An external organisation joins as a friend of the site (A.5.9).")
    membership = Membership.objects.select_for_update().filter(site=site, user=by).first()
    if membership is not None and membership.status in (
        Membership.Status.PENDING,
        Membership.Status.APPROVED,
    ):
        raise ApplicationError("You have asked already.", code=ErrorCode.ALREADY_DONE)
    if membership is not None and membership.status == Membership.Status.SUSPENDED:
        raise ApplicationError(
            "Your membership is suspended; an administrator of the site can restore it.",
            code=ErrorCode.FORBIDDEN,
        )
    if membership is None:
        membership = Membership(site=site, user=by)
    membership.kind = kind
    membership.status = Membership.Status.PENDING
    membership.note = note.strip()
    membership.external_organisation = external_organisation
    membership.reason = ""
    if has_role(by, Role.PUPIL) and not membership.display_name:
        membership.display_name = _pseudonym(site)
    membership.save()
    item_type = (
        ReviewItem.Type.FRIEND_REQUEST
        if kind == Membership.Kind.FRIEND
        else ReviewItem.Type.JOIN_REQUEST
    )
    existing = ReviewItem.objects.filter(type=item_type, membership=membership).first()
    if existing is not None:  # asking again after a refusal reopens the same item
        ReviewItem.objects.filter(pk=existing.pk).update(status=ReviewItem.Status.PENDING)
    item = review_item_open(
        site=site,
        type=item_type,
        author=by,
        membership=membership,
        signal_source=ReviewSignal.Source.SYSTEM,
        signal_reason=(
            f"{external_organisation} asks to be a friend (A.5.9)"
            if external_organisation
            else f"Asks to join as a {membership.get_kind_display().split(' (')[0].lower()}"
        ),
        actor=by,
        priority=ReviewItem.Priority.NORMAL if external_organisation else ReviewItem.Priority.LOW,
    )
    audit_record(
        actor=by,
        action="community.membership.request",
        target=membership,
        clauses=["A.5.7", "A.2.6"] + (["A.5.9"] if external_organisation else []),
        organisation_id=site.organisation_id,
        details={"kind": kind, "item": item.pk},
    )
    return membership
