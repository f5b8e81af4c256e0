"""The single review queue (ANCHORS §3.1): one item per target, ordered by severity and age,
need-to-know visibility, server-side actions, claims and the optimistic lock."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from socialguard.audit.models import AuditEvent
from socialguard.community.models import Contribution, Membership
from socialguard.community.services import contribution_report, membership_request
from socialguard.community.tests.factories import decide, live_site, member, post, published
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.moderation import selectors, services
from socialguard.moderation.models import ReviewItem
from socialguard.moderation.permissions import actions_for, reviewer_for

pytestmark = pytest.mark.django_db


def queue_of(user):
    return list(selectors.review_queue(reviewer=reviewer_for(user)))


def test_a_second_report_adds_a_signal_never_a_duplicate(cast):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    member(site, cast.parent, cast.line_manager, kind=Membership.Kind.FRIEND)
    target = published(site, cast.teacher, cast.comms)
    first = contribution_report(contribution=target, by=cast.pupil, reason="Wrong date")
    second = contribution_report(contribution=target, by=cast.parent, reason="Spelling")
    assert first.pk == second.pk
    assert ReviewItem.objects.filter(type="report", contribution=target).count() == 1
    assert second.signals.count() == 2


def test_a_dismissed_report_reopens_when_reported_again(cast):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    target = published(site, cast.teacher, cast.comms)
    item = contribution_report(contribution=target, by=cast.pupil, reason="Odd")
    decide(item, cast.deputy_dsl, "dismiss")
    again = contribution_report(contribution=target, by=cast.pupil, reason="Really odd")
    assert again.pk == item.pk and again.status == ReviewItem.Status.PENDING


def test_the_queue_is_ordered_by_severity_then_age(cast):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    calm = post(site, cast.pupil, "We planted beans")
    # Abusive but not a safeguarding matter: it stays in the moderators' queue, first.
    nasty = post(site, cast.pupil, "this is rubbish and you are an idiot")
    older_calm = calm.review_items.get()
    items = queue_of(cast.comms)
    assert items[0].contribution_id == nasty.pk
    assert items[-1].pk == older_calm.pk


def test_moderators_see_only_the_sites_they_moderate(cast):
    site = live_site(cast)
    post(site, cast.teacher, "News")
    assert len(queue_of(cast.comms)) == 1  # moderator of this site
    assert queue_of(cast.head) == []  # head teacher, not a moderator of it
    assert queue_of(cast.outsider) == []


def test_join_requests_go_to_administrators_and_the_vetter_not_to_moderators(cast):
    site = live_site(cast)
    membership_request(site=site, by=cast.pupil, kind="member")
    assert [i.type for i in queue_of(cast.line_manager)] == ["join_request"]  # vetter + admin
    assert queue_of(cast.comms) == []  # moderator only


def test_an_external_organisation_needs_the_communications_manager(cast):
    site = live_site(cast)
    membership = membership_request(
        site=site, by=cast.contractor, kind="friend", external_organisation="Scout Group"
    )
    item = membership.review_items.get()
    assert actions_for(item, reviewer_for(cast.line_manager))[:1] == ["reject"]
    with pytest.raises(ApplicationError):
        decide(item, cast.line_manager, "approve")
    assert item in queue_of(cast.comms)
    decide(item, cast.comms, "approve")
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED


def test_refusing_a_request_needs_a_reason_and_tells_the_person(
    cast, django_capture_on_commit_callbacks
):
    site = live_site(cast)
    membership = membership_request(site=site, by=cast.parent, kind="friend")
    item = membership.review_items.get()
    with pytest.raises(ApplicationError, match="reason"):
        decide(item, cast.line_manager, "reject", basis="clause:A.5.6")
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            item, cast.line_manager, "reject", basis="clause:A.5.2", reason="We could not check."
        )
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REFUSED
    assert "We could not check." in mail.outbox[-1].body


def test_nobody_decides_their_own_contribution(cast):
    site = live_site(cast)
    contribution = post(site, cast.comms, "From the comms team")  # comms moderates this site
    item = contribution.review_items.get()
    assert actions_for(item, reviewer_for(cast.comms)) == []
    with pytest.raises(ApplicationError) as error:
        decide(item, cast.comms, "approve")
    assert error.value.code == ErrorCode.FORBIDDEN
    decide(item, cast.deputy_dsl, "approve")


def test_a_rejection_cites_a_house_rule_or_clause_and_tells_the_author(
    cast, django_capture_on_commit_callbacks
):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    contribution = post(site, cast.pupil, "hi")
    item = contribution.review_items.get()
    with pytest.raises(ApplicationError, match="House Rule or policy clause"):
        decide(item, cast.comms, "reject", reason="No.", basis="house_rule:99")
    with django_capture_on_commit_callbacks(execute=True):
        decide(item, cast.comms, "reject", reason="Say more next time.", basis="house_rule:1")
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.REJECTED
    assert contribution.reason.startswith("House Rule 1: Be kind.")
    assert mail.outbox[-1].to == [cast.pupil.email]
    event = AuditEvent.objects.filter(action="moderation.item.reject").get()
    assert "A.5.3" in event.clauses


def test_edit_and_approve_keeps_the_original(cast):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    contribution = post(site, cast.pupil, "Me and Tom Smith went to the park")
    decide(
        contribution.review_items.get(),
        cast.comms,
        "edit_approve",
        body="Me and Tom went to the park",
        reason="Surname removed",
    )
    contribution.refresh_from_db()
    assert contribution.body == "Me and Tom went to the park"
    assert contribution.original_body == "Me and Tom Smith went to the park"
    assert contribution.status == Contribution.Status.PUBLISHED


def test_removing_a_published_item_after_a_report(cast):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    target = published(site, cast.teacher, cast.comms)
    item = contribution_report(contribution=target, by=cast.pupil, reason="Has a surname")
    decide(item, cast.deputy_dsl, "remove", basis="clause:A.5.2", reason="Names a pupil.")
    target.refresh_from_db()
    assert target.status == Contribution.Status.REMOVED


def test_a_stale_version_loses(cast):
    site = live_site(cast)
    item = post(site, cast.teacher).review_items.get()
    version = item.version
    services.review_perform(item_id=item.pk, by=cast.comms, action="approve", version=version)
    with pytest.raises(ApplicationError) as error:
        services.review_perform(
            item_id=item.pk, by=cast.deputy_dsl, action="approve", version=version
        )
    assert error.value.code == ErrorCode.CONFLICT


def test_a_claim_stops_a_second_moderator(cast):
    site = live_site(cast)
    item = post(site, cast.teacher).review_items.get()
    claimed = services.review_claim(item_id=item.pk, by=cast.comms, version=item.version)
    assert actions_for(claimed, reviewer_for(cast.deputy_dsl)) == []
    with pytest.raises(ApplicationError, match="is dealing with this item"):
        services.review_claim(item_id=item.pk, by=cast.deputy_dsl, version=claimed.version)
    with pytest.raises(ApplicationError):
        services.review_perform(
            item_id=item.pk, by=cast.deputy_dsl, action="approve", version=claimed.version
        )
    services.review_perform(
        item_id=item.pk, by=cast.comms, action="approve", version=claimed.version
    )


def test_bulk_approve_goes_item_by_item(cast):
    site = live_site(cast)
    mine = post(site, cast.comms, "mine").review_items.get()
    others = [post(site, cast.teacher, f"post {n}").review_items.get() for n in range(3)]
    chosen = {i.pk: i.version for i in [*others, mine]}
    result = services.review_bulk(items=chosen, by=cast.comms, action="approve")
    assert sorted(result.done) == sorted(i.pk for i in others)
    assert list(result.failed) == [mine.pk]  # nobody approves their own


def test_bulk_reject_needs_a_basis(cast):
    site = live_site(cast)
    items = [post(site, cast.teacher, f"post {n}").review_items.get() for n in range(2)]
    result = services.review_bulk(
        items={i.pk: i.version for i in items}, by=cast.comms, action="reject", reason="Off topic"
    )
    assert result.done == [] and len(result.failed) == 2
    result = services.review_bulk(
        items={i.pk: i.version for i in items},
        by=cast.comms,
        action="reject",
        reason="Off topic",
        basis="clause:A.4.1",
    )
    assert len(result.done) == 2


def test_moderating_marks_the_site_as_moderated(cast):
    site = live_site(cast)
    decide(post(site, cast.teacher).review_items.get(), cast.comms, "approve")
    site.refresh_from_db()
    assert site.last_moderation_at is not None


def test_the_engine_blocks_extreme_offence_and_members_never_see_it(cast, client):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    contribution = post(site, cast.pupil, "go back to your country you f*cking p4ki")
    assert contribution.status == Contribution.Status.BLOCKED
    item = contribution.review_items.get()
    assert item.blocked_by_engine and item.priority == ReviewItem.Priority.URGENT
    client.force_login(cast.comms)
    page = client.get(reverse("moderation:item", args=[item.pk])).content.decode()
    assert "screening engine blocked this" in page
    decide(item, cast.comms, "reject", basis="clause:A.5.6", reason="Racist abuse.")


def test_findings_are_shown_with_clauses_and_personal_data_masked(cast, client):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    post(site, cast.pupil, "Can someone help me with homework? Ring me on 07700 900123.")
    client.force_login(cast.comms)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "07700 900123" not in page
    assert "[a phone number]" in page


def test_the_queue_page_and_the_decision_forms(cast, client):
    site = live_site(cast)
    item = post(site, cast.teacher, "Sports day is on Friday").review_items.get()
    client.force_login(cast.comms)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "Sports day is on Friday" in page and f"{item.pk}:{item.version}" in page
    response = client.post(
        reverse("moderation:act", args=[item.pk]),
        {"action": "approve", "version": item.version, "next": "item"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.APPROVED
    client.force_login(cast.head)
    assert client.get(reverse("moderation:item", args=[item.pk])).status_code == 404
