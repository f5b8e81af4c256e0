"""A.3.3-A.3.5, A.5.8, A.5.9: the policy's other approvals run through the same engine."""

from __future__ import annotations

import pytest
from django.test import Client

from socialguard.approvals.models import ApprovalRequest
from socialguard.approvals.services import approval_decide
from socialguard.approvals.workflows import Kind
from socialguard.core.errors import ApplicationError
from socialguard.sites.services import site_proposal_submit, site_request_submit
from socialguard.sites.tests.factories import proposal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "steps", "needs_site"),
    [
        (
            Kind.THIRD_PARTY_PARTICIPATION,
            ["Line manager", "Communications Manager", "Head teacher"],
            False,
        ),
        (Kind.CONTENT, ["Line manager", "Communications Manager"], True),
        (Kind.LOGO_USE, ["Communications Manager"], False),
        (Kind.ADVERT_FOR_CONTRIBUTORS, ["Communications Manager"], True),
        (Kind.EXTERNAL_FRIEND, ["Communications Manager"], True),
    ],
)
def test_each_kind_has_the_policy_steps(cast, kind, steps, needs_site) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast)
    site_proposal_submit(site=site, by=cast.teacher)
    if needs_site:
        with pytest.raises(ApplicationError, match="Name the official site"):
            site_request_submit(
                kind=kind, title="Request", details="Details of the request.", by=cast.teacher
            )
    request = site_request_submit(
        kind=kind,
        title="Request",
        details="Details of the request.",
        by=cast.teacher,
        site=site if needs_site else None,
    )
    assert [s.name for s in request.steps.all()] == steps


def test_external_friend_needs_only_comms_and_is_then_approved(cast) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast)
    site_proposal_submit(site=site, by=cast.teacher)
    request = site_request_submit(
        kind=Kind.EXTERNAL_FRIEND,
        title="Befriend the local library",
        details="The library would share reading events.",
        by=cast.teacher,
        site=site,
    )
    approval_decide(
        request=request,
        approver=cast.comms,
        decision="approve",
        signature_method="typed_name",
        signature=cast.comms.get_full_name(),
    )
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED


def test_ask_for_approval_page(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.teacher)
    assert client.get("/approvals/new/").status_code == 200
    response = client.post(
        "/approvals/new/",
        {
            "kind": "logo_use",
            "title": "Logo on the PTA flyer",
            "details": "The PTA flyer for the summer fair.",
        },
    )
    assert response.status_code == 302
    assert (
        ApprovalRequest.objects.get(kind="logo_use").current_step().name == "Communications Manager"
    )
    client.force_login(cast.parent)
    assert client.get("/approvals/new/").status_code == 404
