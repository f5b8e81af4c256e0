"""The review queue over the API: the same queue, the same actions, the same version lock."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from socialguard.community.models import Contribution
from socialguard.community.tests.factories import live_site, member, post

pytestmark = pytest.mark.django_db


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _act(client: Client, item_id: int, **payload) -> object:  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/review-items/{item_id}/actions",
        data=json.dumps(payload),
        content_type="application/json",
    )


def test_a_moderator_lists_and_decides_with_the_version_lock(cast) -> None:  # type: ignore[no-untyped-def]
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    post(site, cast.pupil, "Email me at sam.jones@example.com about the trip")
    moderator = _as(cast.comms)
    (item,) = moderator.get("/api/review-items").json()
    assert item["type"] == "queued_post" and "approve" in item["actions"]
    # Personal data masked, as on the page; masked spans are not listed as findings.
    assert "sam.jones@example.com" not in item["text"] and "Email me at [" in item["text"]

    stale = _act(moderator, item["id"], action="approve", version=item["version"] - 1)
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    rejected = _act(
        moderator,
        item["id"],
        action="reject",
        version=item["version"],
        basis="clause:A.4.9",
        reason="No contact details on the blog.",
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert Contribution.objects.get().status == "rejected"
    assert moderator.get("/api/review-items").json() == []


def test_others_cannot_see_or_decide(cast) -> None:  # type: ignore[no-untyped-def]
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    post(site, cast.pupil, "We made a volcano!")
    item = _as(cast.comms).get("/api/review-items").json()[0]
    for person in (cast.head, cast.dsl, cast.pupil, cast.outsider):  # not on the site team
        client = _as(person)
        assert client.get("/api/review-items").json() == [], person
        response = _act(client, item["id"], action="approve", version=item["version"])
        assert response.status_code == 404, person
    assert Contribution.objects.get().status == "pending"


def test_raising_a_concern_takes_the_content_out_of_the_reply(cast) -> None:  # type: ignore[no-untyped-def]
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    post(site, cast.pupil, "We went to the park after school")
    moderator = _as(cast.comms)
    item = moderator.get("/api/review-items").json()[0]
    raised = _act(
        moderator,
        item["id"],
        action="raise_safeguarding",
        version=item["version"],
        category="disclosure_abuse",
        reason="Worried about this.",
    ).json()
    assert raised["status"] == "safeguarding" and raised["text"] == "" and raised["actions"] == []
    assert moderator.get("/api/review-items").json() == []
