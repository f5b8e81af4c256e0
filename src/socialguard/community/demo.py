"""The demo's live school-hosted site (Year 4 Learning Blog) with members, friends and a
realistic mix of published, waiting, rejected and blocked contributions, a report, join and
friend requests, and one safeguarding item, all made through the real services."""

from __future__ import annotations

import io

from PIL import Image as PILImage
from PIL import ImageDraw

from socialguard.accounts.models import Organisation, User
from socialguard.community.models import CommunitySettings, Contribution, Membership
from socialguard.community.services import (
    contribution_report,
    contribution_submit,
    membership_request,
)
from socialguard.lexicon.services import watched_word_add
from socialguard.moderation.models import ReviewItem
from socialguard.moderation.services import review_perform
from socialguard.sites.models import Site


def _picture(colour: tuple[int, int, int]) -> bytes:
    """A drawing of a volcano model, standing in for a photo of pupils' work."""
    image = PILImage.new("RGB", (640, 420), (235, 242, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 330, 640, 420), fill=(120, 170, 90))
    draw.polygon([(170, 330), (320, 90), (470, 330)], fill=colour)
    draw.polygon([(290, 120), (320, 90), (350, 120), (320, 60)], fill=(240, 120, 40))
    draw.ellipse((520, 30, 600, 110), fill=(250, 210, 60))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _decide(item: ReviewItem, by: User, action: str, **kwargs: str) -> None:
    item.refresh_from_db()
    review_perform(item_id=item.pk, by=by, action=action, version=item.version, **kwargs)


def _item(contribution: Contribution) -> ReviewItem:
    return contribution.review_items.get()


def load_demo_community(organisation: Organisation, people: dict[str, User]) -> None:
    site = Site.objects.get(organisation=organisation, name="Year 4 Learning Blog")
    CommunitySettings.objects.update_or_create(
        site=site, defaults={"pupil_names": CommunitySettings.PupilNames.PSEUDONYM}
    )
    admin, moderator = people["linemanager"], people["comms"]
    watched_word_add(site=site, by=admin, pattern="fortnite", action="review")

    for username in ("pupil", "pupil2", "pupil3"):
        membership_request(site=site, by=people[username], kind=Membership.Kind.MEMBER)
        _decide(
            Membership.objects.get(site=site, user=people[username]).review_items.get(),
            admin,
            "approve",
        )
    membership_request(
        site=site,
        by=people["parent"],
        kind=Membership.Kind.FRIEND,
        note="I'm Amira's mum and would love to see the class blog.",
    )
    _decide(
        Membership.objects.get(site=site, user=people["parent"]).review_items.get(),
        admin,
        "approve",
    )

    teacher = people["teacher"]
    welcome = contribution_submit(
        site=site,
        by=teacher,
        kind=Contribution.Kind.POST,
        body="Welcome to our class blog! This term Year 4 are learning about volcanoes. "
        "Pupils will share their models and writing here every Friday.",
    )
    _decide(_item(welcome), moderator, "approve")
    welcome.refresh_from_db()
    model = contribution_submit(
        site=site,
        by=people["pupil"],
        kind=Contribution.Kind.IMAGE,
        body="Our volcano model! We used papier-mache and red paint for the lava.",
        image=_picture((150, 110, 90)),
    )
    _decide(_item(model), moderator, "approve")
    model.refresh_from_db()
    poem = contribution_submit(
        site=site,
        by=people["pupil2"],
        kind=Contribution.Kind.POST,
        body="My volcano poem: Rumble, rumble, deep below, hot red rivers start to flow.",
    )
    _decide(_item(poem), people["ta"], "approve")
    poem.refresh_from_db()
    comment = contribution_submit(
        site=site,
        by=people["parent"],
        kind=Contribution.Kind.COMMENT,
        parent=poem,
        body="What a brilliant poem, well done!",
    )
    _decide(_item(comment), moderator, "approve")
    comment.refresh_from_db()

    # Rejected, citing House Rule 3: a phone number.
    phone = contribution_submit(
        site=site,
        by=people["pupil3"],
        kind=Contribution.Kind.COMMENT,
        parent=welcome,
        body="Can someone help me with homework? Ring me on 07700 900123.",
    )
    _decide(
        _item(phone),
        moderator,
        "reject",
        basis="house_rule:3",
        reason="Please don't share phone numbers here; ask your teacher in class instead.",
    )

    # Waiting for a moderator: a post, an image, a comment with a watched word.
    contribution_submit(
        site=site,
        by=people["pupil2"],
        kind=Contribution.Kind.POST,
        body="Did you know Mount Vesuvius erupted in 79 AD and covered Pompeii in ash?",
    )
    contribution_submit(
        site=site,
        by=people["pupil3"],
        kind=Contribution.Kind.IMAGE,
        body="This is my volcano, it is taller than my little brother's!",
        image=_picture((110, 90, 80)),
    )
    contribution_submit(
        site=site,
        by=people["pupil"],
        kind=Contribution.Kind.COMMENT,
        parent=poem,
        body="I like it! Want to play fortnite after school?",
    )
    # Blocked by the engine: members never see it; a moderator confirms.
    contribution_submit(
        site=site,
        by=people["pupil2"],
        kind=Contribution.Kind.COMMENT,
        parent=model,
        body="That model is rubbish, go back to your country you f*cking p4ki",
    )
    # A member's report on a published post.
    contribution_report(
        contribution=poem,
        by=people["pupil3"],
        reason="I think this poem was copied from a website.",
    )
    # Requests: a pupil waiting to join, an external organisation asking to be a friend.
    membership_request(site=site, by=people["pupil4"], kind=Membership.Kind.MEMBER)
    membership_request(
        site=site,
        by=people["contractor"],
        kind=Membership.Kind.FRIEND,
        external_organisation="Stafford Volcano Museum",
        note="We run school workshops on volcanoes and would love to follow the class.",
    )
    # A disclosure: the engine passes it straight to the DSL; moderators never see it.
    contribution_submit(
        site=site,
        by=people["pupil3"],
        kind=Contribution.Kind.COMMENT,
        parent=welcome,
        body="i dont want to go home tonight because my dad hits me when hes angry",
    )
