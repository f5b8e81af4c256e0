"""Contributing to a school-hosted site and joining one. Every contribution is screened and
then held for a moderator (A.5.3); nothing here publishes anything. What the Verdict routes to
the safeguarding leads is withheld from the start and goes to them through the queue's
hand-over, with no moderator in between (A.2.3). The queue's decisions come back through
``community.outcomes``."""

from __future__ import annotations

import secrets
import uuid

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
from socialguard.lexicon.selectors import screening_extras_for
from socialguard.moderation.models import ReviewItem, ReviewSignal
from socialguard.moderation.services import review_item_for_contribution, review_item_open
from socialguard.screening.base import Context, Roster, Verdict
from socialguard.screening.engine import Screener
from socialguard.sites.models import Site
from socialguard.sites.staffing import site_mode

MAX_BODY = 5000
ROSTER_SECONDS = 60
# What the author is told when the Verdict routes their words to the safeguarding leads.
SUPPORT_MESSAGE = (
    "Thank you for sharing this. If something is worrying you, talk to a trusted adult at "
    "school or call Childline free on 0800 1111."
)
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


def contribution_screen(*, site: Site, author: User, text: str) -> Verdict:
    # The school's own words (A.2.3, A.4.1): kept in the browser, read from lexicon.
    house_rules, phrases, examples = screening_extras_for(site)
    context = Context(
        audience="official_site",
        author_role=_author_role(author),
        roster=_roster(site),
        house_rules=house_rules,
        safeguarding_phrases=phrases,
        safeguarding_examples=examples,
    )
    return Screener.default().screen(text, context=context)


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

    verdict = contribution_screen(site=site, author=by, text=body) if body else None
    contribution = Contribution.objects.create(
        site=site,
        author=by,
        author_label=selectors.author_label(site, by, membership),
        kind=kind,
        parent=parent,
        body=body,
        body_html=body_html(body),
        image=stored,
        status=_held_status(verdict),
    )
    item = review_item_for_contribution(
        site=site,
        contribution_id=contribution.pk,
        kind=kind,
        author=by,
        verdict=verdict,
        membership_id=membership.pk if membership else None,
        faces=stored.faces if stored else 0,
        metadata_removed=stored.metadata_removed if stored else (),
    )
    audit_record(
        actor=by,
        action="community.contribution.submit",
        target=contribution,
        clauses=sorted({"A.5.3", *(verdict.clauses if verdict else ())}),
        organisation_id=site.organisation_id,
        details={
            "kind": kind,
            "site": site.pk,
            "screening": verdict.action if verdict else "none",
            "faces": stored.faces if stored else 0,
            "item": item.pk,
        },
    )
    return contribution


def _held_status(verdict: Verdict | None) -> str:
    """Held for a moderator; what the engine blocks is held apart; what it routes to the
    safeguarding leads is withheld from everyone but them. The Verdict alone decides."""
    if verdict is not None and "dsl" in verdict.escalate:
        return Contribution.Status.WITHHELD
    if verdict is not None and verdict.action == "block":
        return Contribution.Status.BLOCKED
    return Contribution.Status.PENDING


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
        contribution_id=contribution.pk,
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
    if membership.pk is None:
        membership.save()
    else:
        membership.save(
            update_fields=[
                "kind",
                "status",
                "note",
                "external_organisation",
                "reason",
                "display_name",
                "updated_at",
            ]
        )
    item_type = (
        ReviewItem.Type.FRIEND_REQUEST
        if kind == Membership.Kind.FRIEND
        else ReviewItem.Type.JOIN_REQUEST
    )
    item = review_item_open(
        site=site,
        type=item_type,
        author=by,
        membership_id=membership.pk,
        reopen=True,  # asking again after a refusal reopens the same item
        payload={"external": bool(external_organisation)},
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
