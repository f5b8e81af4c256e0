"""Contributing to a school-hosted site: who may, in which ways, and that everything is held
(A.5.1, A.5.3, A.5.2, A.4.7, A.4.8, A.4.1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from socialguard.community.models import Contribution, Membership
from socialguard.community.selectors import stream
from socialguard.community.tests.factories import decide, live_site, member, post, published
from socialguard.core.errors import ApplicationError
from socialguard.moderation.models import ReviewItem

pytestmark = pytest.mark.django_db


def test_every_contribution_is_held_until_a_moderator_approves_it_staff_included(cast):
    site = live_site(cast)
    contribution = post(site, cast.teacher, "Welcome back, Year 4!")
    assert contribution.status == Contribution.Status.PENDING
    assert list(stream(site)) == []
    item = contribution.review_items.get()
    assert item.type == ReviewItem.Type.QUEUED_POST
    decide(item, cast.comms, "approve")
    assert [c.pk for c in stream(site)] == [contribution.pk]


def test_staff_appear_by_name_and_position(cast):
    cast.teacher.position = "Year 4 class teacher"
    cast.teacher.save()
    site = live_site(cast)
    contribution = post(site, cast.teacher)
    assert contribution.author_label == f"{cast.teacher.get_full_name()}, Year 4 class teacher"


def test_pupils_never_appear_by_full_name(cast, client):
    site = live_site(cast)
    cast.pupil.first_name, cast.pupil.last_name = "Amira", "Khan"
    cast.pupil.save()
    membership = member(site, cast.pupil, cast.line_manager)
    assert membership.display_name and "Khan" not in membership.display_name
    contribution = published(site, cast.pupil, cast.comms, "I drew a map")
    assert contribution.author_label == membership.display_name
    client.force_login(cast.teacher)
    page = client.get(reverse("community:site", args=[site.pk])).content.decode()
    assert membership.display_name in page and "Khan" not in page


def test_the_site_can_show_pupils_by_first_name_and_initial(cast):
    site = live_site(cast, pupil_names="first_initial")
    cast.pupil.first_name, cast.pupil.last_name = "Amira", "Khan"
    cast.pupil.save()
    member(site, cast.pupil, cast.line_manager)
    assert post(site, cast.pupil).author_label == "Amira K."


def test_only_approved_members_contribute(cast):
    site = live_site(cast)
    with pytest.raises(ApplicationError, match="approved members"):
        post(site, cast.pupil)
    membership_request_only = Membership.objects.create(site=site, user=cast.parent)
    assert membership_request_only.status == Membership.Status.PENDING
    with pytest.raises(ApplicationError, match="approved members"):
        post(site, cast.parent)


def test_friends_comment_but_do_not_post(cast):
    site = live_site(cast)
    member(site, cast.parent, cast.line_manager, kind=Membership.Kind.FRIEND)
    first = published(site, cast.teacher, cast.comms)
    with pytest.raises(ApplicationError, match="Friends of the site may comment"):
        post(site, cast.parent)
    comment = post(site, cast.parent, "Lovely!", kind="comment", parent=first)
    assert comment.status == Contribution.Status.PENDING


def test_the_site_decides_which_ways_members_contribute(cast):
    site = live_site(cast, allow_images=False, allow_comments=False)
    member(site, cast.pupil, cast.line_manager)
    first = published(site, cast.teacher, cast.comms)
    with pytest.raises(ApplicationError, match="does not take images"):
        post(site, cast.pupil, kind="image", image=b"x")
    with pytest.raises(ApplicationError, match="does not take comments"):
        post(site, cast.pupil, "hi", kind="comment", parent=first)


def test_a_site_short_of_cover_in_read_only_mode_takes_nothing_new(cast):
    from django.utils import timezone

    site = live_site(cast)
    site.stricter_mode, site.degraded_since = "read_only", timezone.now()
    site.save()
    with pytest.raises(ApplicationError, match="read-only"):
        post(site, cast.teacher)


def test_suspended_members_cannot_contribute(cast):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    contribution = post(site, cast.pupil, "hello")
    decide(
        contribution.review_items.get(),
        cast.comms,
        "suspend_author",
        basis="house_rule:1",
        reason="Repeated unkind posts.",
    )
    with pytest.raises(ApplicationError, match="approved members"):
        post(site, cast.pupil, "again")


def test_pages_carry_the_logo_linking_home_and_the_terms_and_house_rules(cast, client):
    cast.junior.website = "https://stafford.example.sch.uk/"
    cast.junior.save()
    site = live_site(cast)
    published(site, cast.teacher, cast.comms)
    client.force_login(cast.teacher)
    for url in (
        reverse("community:site", args=[site.pk]),
        reverse("community:mine", args=[site.pk]),
        reverse("community:document", args=[site.pk, "house_rules"]),
    ):
        page = client.get(url).content.decode()
        assert 'href="https://stafford.example.sch.uk/"' in page, url
        assert reverse("community:logo", args=[cast.junior.pk]) in page, url
        assert reverse("community:document", args=[site.pk, "terms"]) in page, url
        assert reverse("community:document", args=[site.pk, "house_rules"]) in page, url
    logo = client.get(reverse("community:logo", args=[cast.junior.pk]))
    assert logo["Content-Type"] == "image/svg+xml" and b"SJS" in logo.content


def test_pages_are_never_public(cast, client):
    site = live_site(cast)
    url = reverse("community:site", args=[site.pk])
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.pupil)  # not a member yet: the join form, not the stream
    published(site, cast.teacher, cast.comms, "Secret class news")
    page = client.get(url).content.decode()
    assert "Join this site" in page and "Secret class news" not in page


def test_members_see_their_own_contributions_and_why_one_was_rejected(cast, client):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    contribution = post(site, cast.pupil, "ring 07700 900123 about the bake sale")
    decide(
        contribution.review_items.get(),
        cast.comms,
        "reject",
        basis="house_rule:3",
        reason="Please keep phone numbers off the site.",
    )
    client.force_login(cast.pupil)
    page = client.get(reverse("community:mine", args=[site.pk])).content.decode()
    assert "Not published" in page
    assert "House Rule 3: No phone numbers or addresses." in page
    assert "Please keep phone numbers off the site." in page


def test_posting_through_the_page(cast, client):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    client.force_login(cast.pupil)
    response = client.post(
        reverse("community:contribute", args=[site.pk]), {"kind": "post", "body": "Hello!"}
    )
    assert response.status_code == 302
    assert Contribution.objects.get(author=cast.pupil).status == "pending"


def test_the_demo_site_has_every_kind_of_item(db):
    from socialguard.core.demo import demo_federation_load

    demo_federation_load()
    statuses = set(Contribution.objects.values_list("status", flat=True))
    assert {"published", "pending", "rejected", "blocked", "withheld"} <= statuses
    types = set(ReviewItem.objects.filter(status="pending").values_list("type", flat=True))
    assert {
        "queued_post",
        "queued_image",
        "queued_comment",
        "join_request",
        "friend_request",
        "report",
    } <= types
    # The disclosure only: the pupil's Fortnite invitation, read as a possible grooming approach
    # until round 4 of the heads, now waits for a moderator like any other post.
    assert ReviewItem.objects.filter(status="safeguarding").count() == 1


def test_a_refused_post_comes_back_in_the_box(cast, client):
    from socialguard.community.services import MAX_BODY

    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    client.force_login(cast.pupil)
    too_long = "Our volcano erupted! " * (MAX_BODY // 20 + 1)
    url = reverse("community:contribute", args=[site.pk])
    page = client.post(url, {"kind": "post", "body": too_long}, follow=True).content.decode()
    assert f"under {MAX_BODY} characters" in page
    assert ">Our volcano erupted! Our volcano erupted!" in page  # back in the compose box
    assert not Contribution.objects.filter(author=cast.pupil).exists()
    # Shown once: the next visit starts empty.
    assert (
        "Our volcano erupted!"
        not in client.get(reverse("community:site", args=[site.pk])).content.decode()
    )
