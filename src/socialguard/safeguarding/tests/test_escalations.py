"""The safeguarding hand-over (A.2.3, A.5.6): what the Verdict routes to the DSL reaches the
leads at once, frozen, with its image, and climbs the one ladder until a lead acknowledges it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from socialguard.audit.models import AuditEvent
from socialguard.community.models import Contribution
from socialguard.community.services import SUPPORT_MESSAGE
from socialguard.community.tests.factories import decide, jpeg, live_site, member, post
from socialguard.core import evidence as frozen
from socialguard.moderation import selectors
from socialguard.moderation.models import ReviewItem
from socialguard.moderation.permissions import reviewer_for
from socialguard.safeguarding import escalations
from socialguard.safeguarding.checks import safeguarding_check_all
from socialguard.safeguarding.models import Escalation

pytestmark = pytest.mark.django_db
DISCLOSURE = "i dont want to go home tonight because my dad hits me"


@pytest.fixture
def disclosure(cast, django_capture_on_commit_callbacks):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        contribution = post(site, cast.pupil, DISCLOSURE)
    return contribution


def _escalation(contribution: Contribution) -> Escalation:
    item = contribution.review_items.get()
    return Escalation.objects.get(source_type="review_item", source_id=item.pk)


def test_a_disclosure_reaches_the_leads_at_once_without_a_moderator(cast, disclosure):
    assert disclosure.status == Contribution.Status.WITHHELD  # as returned: no reload needed
    item = disclosure.review_items.get()
    assert item.status == ReviewItem.Status.SAFEGUARDING
    escalation = _escalation(disclosure)
    assert escalation.category == "disclosure_abuse" and escalation.raised_by is None
    assert escalation.raised_via == Escalation.RaisedVia.SCREENING
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([cast.dsl.email])  # the DSL for Stafford Junior
    assert "Possible disclosure of abuse" in message.subject  # the registry's label
    assert reverse("moderation:safeguarding_item", args=[escalation.pk]) in message.body
    assert "hits me" not in message.body and "dad" not in message.body
    assert cast.pupil.get_full_name() not in message.body
    assert AuditEvent.objects.filter(action="safeguarding.escalation.opened").count() == 1


def test_the_pupil_is_thanked_and_pointed_to_childline_with_no_word_of_a_flag(cast, client):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    client.force_login(cast.pupil)
    response = client.post(
        reverse("community:contribute", args=[site.pk]), {"kind": "post", "body": DISCLOSURE}
    )
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == [SUPPORT_MESSAGE]
    assert "0800 1111" in said[0] and "trusted adult" in said[0]
    mine = client.get(reverse("community:mine", args=[site.pk])).content.decode()
    assert "0800 1111" in mine
    for word in ("flag", "held", "safeguarding", "moderator", "blocked"):
        assert word not in said[0].lower()
        assert "Held for a closer look" not in mine


def test_the_evidence_is_frozen_with_a_hash(cast, disclosure):
    escalation = _escalation(disclosure)
    evidence = escalation.evidence
    assert evidence["content"] == DISCLOSURE and evidence["author_id"] == cast.pupil.pk
    assert frozen.verify(evidence, escalation.sha256)
    assert not frozen.verify({**evidence, "content": "nothing happened"})


def test_the_item_leaves_the_moderators_view_and_only_dsls_see_it(cast, disclosure, client):
    item = disclosure.review_items.get()
    escalation = _escalation(disclosure)
    assert item not in selectors.review_queue(reviewer=reviewer_for(cast.comms))
    client.force_login(cast.comms)
    assert DISCLOSURE not in client.get(reverse("moderation:queue")).content.decode()
    page = reverse("moderation:safeguarding_item", args=[escalation.pk])
    assert client.get(page).status_code == 404
    client.force_login(cast.dsl)
    html = client.get(page).content.decode()
    assert DISCLOSURE in html and "verified" in html
    # The moderator's old link to the item leads the DSL to the escalation.
    old = client.get(reverse("moderation:item", args=[item.pk]))
    assert old.status_code == 302 and old["Location"] == page


def test_a_moderator_can_raise_a_concern_on_any_item(cast, django_capture_on_commit_callbacks):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    contribution = post(site, cast.pupil, "We went to the park")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            contribution.review_items.get(),
            cast.comms,
            "raise_safeguarding",
            category="other",
            reason="Worrying tone",
        )
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.WITHHELD
    escalation = _escalation(contribution)
    assert escalation.raised_by == cast.comms and escalation.note == "Worrying tone"
    assert "park" not in mail.outbox[0].body
    assert "Other safeguarding concern" in mail.outbox[0].subject


def test_an_escalated_image_follows_the_item(cast, client, django_capture_on_commit_callbacks):
    """Finding 3 of the security review: after an image post is raised, the image is served to
    nobody on the community site; the leads see their own frozen copy on the item's page."""
    site = live_site(cast, allow_images=True)
    member(site, cast.pupil, cast.line_manager)
    contribution = post(site, cast.pupil, "", kind="image", image=jpeg())
    image_url = reverse("community:image", args=[contribution.image_id])
    client.force_login(cast.comms)
    assert client.get(image_url).status_code == 200  # a moderator checks a held image
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            contribution.review_items.get(),
            cast.comms,
            "raise_safeguarding",
            category="other",
            reason="Looks like a child in distress",
        )
    for person in (cast.comms, cast.deputy_dsl, cast.teacher, cast.line_manager, cast.pupil):
        client.force_login(person)
        assert client.get(image_url).status_code == 404, person.username
    escalation = _escalation(contribution)
    assert escalation.image and escalation.image_sha256 == contribution.image.sha256
    for lead in (cast.dsl, cast.deputy_dsl):
        client.force_login(lead)
        page = client.get(reverse("moderation:safeguarding_item", args=[escalation.pk]))
        html = page.content.decode()
        assert page.status_code == 200 and 'src="data:image/' in html, lead.username
        assert escalation.image_sha256 in html
    client.force_login(cast.comms)
    page = client.get(reverse("moderation:safeguarding_item", args=[escalation.pk]))
    assert page.status_code == 404


def test_a_dsl_can_acknowledge_or_return_an_item(cast, disclosure, client):
    escalation = _escalation(disclosure)
    page = reverse("moderation:safeguarding_item", args=[escalation.pk])
    client.force_login(cast.dsl)
    client.post(page, {"action": "acknowledge"})
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == cast.dsl
    client.post(page, {"action": "return", "reason": "Checked with the class teacher."})
    escalation.refresh_from_db()
    item = disclosure.review_items.get()
    disclosure.refresh_from_db()
    assert escalation.status == Escalation.Status.RETURNED
    assert item.status == ReviewItem.Status.PENDING
    held = {Contribution.Status.PENDING, Contribution.Status.BLOCKED}
    assert disclosure.status in held  # still held, never auto-published
    assert item in selectors.review_queue(reviewer=reviewer_for(cast.comms))


def test_only_leads_act_on_an_escalation(cast, disclosure):
    escalation = _escalation(disclosure)
    with pytest.raises(Exception, match="safeguarding leads"):
        escalations.escalation_acknowledge(escalation=escalation, by=cast.comms)


def test_an_unacknowledged_item_goes_to_the_cover_dsl_then_the_head(
    cast, disclosure, django_capture_on_commit_callbacks
):
    escalation = _escalation(disclosure)
    at = escalation.escalated_at
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert safeguarding_check_all(now=at + timedelta(minutes=10)) == []
        safeguarding_check_all(now=at + timedelta(minutes=16))
    assert [m.to for m in mail.outbox] == [[cast.deputy_dsl.email]]  # the cover DSL
    with django_capture_on_commit_callbacks(execute=True):
        safeguarding_check_all(now=at + timedelta(minutes=31))
        safeguarding_check_all(now=at + timedelta(minutes=45))  # sent once
    assert [m.to for m in mail.outbox][1:] == [[cast.head.email]]
    assert "hits me" not in mail.outbox[-1].body


def test_acknowledging_stops_the_escalation(cast, disclosure, django_capture_on_commit_callbacks):
    escalation = _escalation(disclosure)
    escalations.escalation_acknowledge(escalation=escalation, by=cast.dsl)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        safeguarding_check_all(now=escalation.escalated_at + timedelta(hours=2))
    assert mail.outbox == []


def test_the_leads_dashboard_shows_the_escalation_at_once(cast, disclosure, client):
    client.force_login(cast.dsl)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "1 safeguarding item not acknowledged" in html
    assert reverse("moderation:safeguarding") in html
    client.force_login(cast.comms)
    assert "safeguarding item" not in client.get(reverse("core:dashboard")).content.decode()


def test_the_leads_page_links_the_findings_clauses_to_the_version_in_force_then(
    cast, policy_version, disclosure, client
):
    # policy_version comes first: the disclosure is made under version 1.
    from socialguard.policy.tests.factories import second_version_published

    escalation = _escalation(disclosure)
    clauses = {c for f in escalation.findings for c in f.get("clauses", ())}
    assert clauses, escalation.findings
    page = reverse("moderation:safeguarding_item", args=[escalation.pk])
    client.force_login(cast.dsl)
    assert any(f'href="/policy/#{c}"' in client.get(page).content.decode() for c in clauses)
    second_version_published(cast)
    html = client.get(page).content.decode()
    assert all(f'href="/policy/versions/{policy_version.pk}/#{c}"' in html for c in clauses)
