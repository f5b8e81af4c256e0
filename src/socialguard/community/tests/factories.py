from __future__ import annotations

import io
from typing import Any

from PIL import Image as PILImage

from socialguard.community.models import CommunitySettings, Contribution, Membership
from socialguard.community.services import contribution_submit, membership_request
from socialguard.moderation.models import ReviewItem
from socialguard.moderation.services import review_perform
from socialguard.sites.models import Site, SiteDocument
from socialguard.sites.tests.factories import proposal

HOUSE_RULES = "1. Be kind.\n2. First names only.\n3. No phone numbers or addresses."


def live_site(cast: Any, **settings: Any) -> Site:
    """A live school-hosted site at Stafford Junior: administrators teacher and line manager,
    moderators comms and deputy DSL; vetter the line manager."""
    site = proposal(cast, vetter=cast.line_manager)
    site.status = Site.Status.LIVE
    site.school = cast.junior
    site.save()
    for kind, text in (("terms", "Be safe."), ("house_rules", HOUSE_RULES)):
        SiteDocument.objects.create(
            site=site, kind=kind, version=1, text=text, published_by=cast.teacher
        )
    CommunitySettings.objects.create(site=site, **settings)
    return site


def member(site: Site, user: Any, by: Any, kind: str = Membership.Kind.MEMBER) -> Membership:
    membership = membership_request(site=site, by=user, kind=kind)
    decide(membership.review_items.get(), by, "approve")
    membership.refresh_from_db()
    return membership


def decide(item: ReviewItem, by: Any, action: str, **kwargs: Any) -> ReviewItem:
    item.refresh_from_db()
    return review_perform(item_id=item.pk, by=by, action=action, version=item.version, **kwargs)


def post(site: Site, by: Any, body: str = "We made a volcano!", **kwargs: Any) -> Contribution:
    return contribution_submit(
        site=site, by=by, kind=kwargs.pop("kind", "post"), body=body, **kwargs
    )


def published(site: Site, by: Any, moderator: Any, body: str = "Our class trip") -> Contribution:
    contribution = post(site, by, body)
    decide(contribution.review_items.get(), moderator, "approve")
    contribution.refresh_from_db()
    return contribution


def jpeg(size: tuple[int, int] = (320, 240), exif: Any = None) -> bytes:
    out = io.BytesIO()
    image = PILImage.new("RGB", size, (90, 140, 200))
    if exif is not None:
        image.save(out, format="JPEG", exif=exif.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()
