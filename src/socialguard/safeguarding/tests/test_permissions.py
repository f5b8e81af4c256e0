"""Need to know (A.2.3), decided on the server: for each role and each action, who may and who
is refused. Another organisation's concern does not exist (404); within the organisation a
refusal is a 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialguard.community.tests.factories import decide, live_site, member, post
from socialguard.core.tests.factories import person_with_roles
from socialguard.safeguarding import services
from socialguard.safeguarding.escalations import concern_from_escalation
from socialguard.safeguarding.models import Concern, ConcernEntry, Escalation, Referral
from socialguard.safeguarding.tests.conftest import ACCOUNT, record

pytestmark = pytest.mark.django_db

ROLES = [
    "dsl",
    "deputy_dsl",
    "head",
    "head_granted",
    "comms",
    "teacher",  # the reporter
    "line_manager",
    "contractor",
    "governor",
    "it_lead",
    "admin",
    "parent",
    "pupil",
    "outsider",
]
LEADS = {"dsl", "deputy_dsl"}
# action -> {role: expected status}; roles not named get 403.
MATRIX: dict[str, dict[str, int]] = {
    "view_list": {"dsl": 200, "deputy_dsl": 200},
    "open_record": {"dsl": 200, "deputy_dsl": 200, "head_granted": 200, "outsider": 404},
    "add_entry": {"dsl": 302, "deputy_dsl": 302, "outsider": 404},
    "record_referral": {"dsl": 302, "deputy_dsl": 302, "outsider": 404},
    "close": {"dsl": 302, "outsider": 404},
    "reopen": {"dsl": 302, "outsider": 404},
    "grant_head": {"dsl": 302, "outsider": 404},
}


def _user(cast: Any, role: str) -> Any:
    return cast.head if role == "head_granted" else getattr(cast, role)


def _request(client: Client, action: str, concern: Concern) -> Any:
    act = reverse("safeguarding:act", args=[concern.pk])
    today = timezone.localdate().isoformat()
    if action == "view_list":
        return client.get(reverse("safeguarding:list"))
    if action == "open_record":
        return client.get(reverse("safeguarding:concern", args=[concern.pk]))
    data = {
        "add_entry": {"entry-kind": "update", "entry-body": "Spoke to the class teacher."},
        "record_referral": {"referral-agency": "ceop", "referral-made_on": today},
        "close": {"close-outcome": "Resolved."},
        "reopen": {"reopen-reason": "New information."},
        "grant_head": {"head-reason": "The head needs to know."},
    }[action]
    return client.post(act, {"action": action, **data})


def _changed(action: str, concern: Concern) -> bool:
    concern.refresh_from_db()
    return {
        "add_entry": ConcernEntry.objects.filter(concern=concern, kind="update").exists(),
        "record_referral": Referral.objects.filter(concern=concern).exists(),
        "close": not concern.is_open,
        "reopen": concern.is_open,
        "grant_head": concern.head_teacher_may_view,
    }.get(action, False)


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(cast, role: str, action: str) -> None:
    concern = record(cast)
    if role == "head_granted":
        services.concern_head_access_set(
            concern=concern, by=cast.dsl, allowed=True, reason="Conduct of staff involved."
        )
    if action == "reopen":
        services.concern_close(concern=concern, by=cast.dsl, outcome="Closed for the test.")
    client = Client()
    client.force_login(_user(cast, role))
    before = _changed(action, concern)

    response = _request(client, action, concern)

    expected = MATRIX[action].get(role, 403)
    assert response.status_code == expected, (role, action, response.status_code)
    if action == "open_record":
        assert (ACCOUNT in response.content.decode()) == (expected == 200)
    if action not in ("view_list", "open_record"):
        assert (_changed(action, concern) != before) == (expected == 302), (role, action)


def test_anonymous_people_are_sent_to_sign_in(cast, concern):
    for path in (reverse("safeguarding:list"), reverse("safeguarding:concern", args=[concern.pk])):
        response = Client().get(path)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_the_reporter_sees_a_receipt_and_never_the_record(cast, client):
    client.force_login(cast.teacher)
    response = client.post(
        reverse("safeguarding:new"),
        {
            "pupils": [cast.pupil.pk],
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "location": "Playground",
            "categories": ["bullying"],
            "account": ACCOUNT,
        },
    )
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("safeguarding:receipt", args=[concern.reference])
    receipt = client.get(response["Location"]).content.decode()
    assert concern.reference in receipt and ACCOUNT not in receipt
    assert cast.pupil.get_full_name() not in receipt
    assert client.get(reverse("safeguarding:concern", args=[concern.pk])).status_code == 403


def test_a_receipt_is_only_for_its_reporter_and_the_leads(cast, concern):
    path = reverse("safeguarding:receipt", args=[concern.reference])
    for role, expected in (("line_manager", 403), ("outsider", 404), ("dsl", 200)):
        client = Client()
        client.force_login(getattr(cast, role))
        assert client.get(path).status_code == expected, role


def test_the_moderator_who_escalated_cannot_open_the_concern(
    cast, django_capture_on_commit_callbacks
):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    # Words the engine lets through to the queue; the moderator's own judgement raises them.
    item = post(site, cast.pupil, "We planted beans and they grew").review_items.get()
    decide(item, cast.comms, "raise_safeguarding", category="other", reason="Worrying")
    escalation = Escalation.objects.get(source_type="review_item", source_id=item.pk)
    concern = concern_from_escalation(by=cast.dsl, escalation=escalation)

    client = Client()
    client.force_login(cast.comms)
    assert client.get(reverse("safeguarding:concern", args=[concern.pk])).status_code == 403
    response = client.post(reverse("safeguarding:from_review_item", args=[escalation.pk]))
    assert response.status_code == 403
    listing = client.get(reverse("safeguarding:list"))
    assert listing.status_code == 403 and "scared" not in listing.content.decode()


def test_a_dsl_of_another_organisation_cannot_find_the_concern(cast, concern):
    their_dsl = person_with_roles("dsl", organisation=cast.outsider.organisation)
    client = Client()
    client.force_login(their_dsl)
    assert client.get(reverse("safeguarding:concern", args=[concern.pk])).status_code == 404
    listing = client.get(reverse("safeguarding:list"))
    assert listing.status_code == 200 and concern.reference not in listing.content.decode()
    response = client.post(
        reverse("safeguarding:act", args=[concern.pk]),
        {"action": "add_entry", "entry-kind": "update", "entry-body": "x"},
    )
    assert response.status_code == 404 and not concern.entries.exists()


@pytest.mark.parametrize(
    ("role", "form"), [("teacher", True), ("contractor", True), ("parent", False), ("pupil", False)]
)
def test_every_staff_member_may_report_and_nobody_else(cast, role, form):
    client = Client()
    client.force_login(getattr(cast, role))
    assert client.get(reverse("safeguarding:new")).status_code == (200 if form else 403)


def test_the_navigation_offers_what_each_person_may_use(cast):
    from socialguard.accounts.selectors import navigation_links_for

    labels = {
        role: [label for label, _ in navigation_links_for(getattr(cast, role))]
        for role in ("dsl", "teacher", "parent")
    }
    assert "Concerns" in labels["dsl"] and "Report a concern" in labels["dsl"]
    assert "Concerns" not in labels["teacher"] and "Report a concern" in labels["teacher"]
    assert "Concerns" not in labels["parent"] and "Report a concern" not in labels["parent"]
