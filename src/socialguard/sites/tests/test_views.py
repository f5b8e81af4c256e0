"""Who sees which site pages, the register's filters and CSV, and its query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socialguard.sites.models import Site
from socialguard.sites.services import site_proposal_submit
from socialguard.sites.tests.factories import proposal

pytestmark = pytest.mark.django_db


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "register", "new"),
    [
        ("teacher", 200, 200),
        ("contractor", 200, 200),
        ("head", 200, 200),
        ("admin", 200, 200),
        ("parent", 403, 403),
        ("pupil", 403, 403),
    ],
)
def test_register_and_proposal_pages_by_role(cast, role, register, new) -> None:  # type: ignore[no-untyped-def]
    client = _as(getattr(cast, role))
    assert client.get("/sites/").status_code == register
    assert client.get("/sites/new/").status_code == new


def test_draft_is_private_to_its_author(cast) -> None:  # type: ignore[no-untyped-def]
    site = proposal(cast)
    assert _as(cast.teacher).get(f"/sites/{site.pk}/").status_code == 200
    assert _as(cast.head).get(f"/sites/{site.pk}/").status_code == 404
    assert _as(cast.outsider).get(f"/sites/{site.pk}/").status_code == 404
    site_proposal_submit(site=site, by=cast.teacher)
    assert _as(cast.head).get(f"/sites/{site.pk}/").status_code == 200
    assert _as(cast.outsider).get(f"/sites/{site.pk}/").status_code == 404
    assert _as(cast.parent).get(f"/sites/{site.pk}/").status_code == 404


def test_approval_request_is_hidden_until_it_is_your_turn(cast) -> None:  # type: ignore[no-untyped-def]
    request = site_proposal_submit(site=proposal(cast), by=cast.teacher)
    assert _as(cast.line_manager).get(f"/approvals/{request.pk}/").status_code == 200
    assert _as(cast.head).get(f"/approvals/{request.pk}/").status_code == 404
    assert _as(cast.teacher).get(f"/approvals/{request.pk}/").status_code == 200  # the author


def test_register_filters_and_csv(cast) -> None:  # type: ignore[no-untyped-def]
    site_proposal_submit(site=proposal(cast), by=cast.teacher)
    proposal(cast, name="Still a draft")
    client = _as(cast.head)
    page = client.get("/sites/").content.decode()
    assert "Year 4 Science Blog" in page and "Still a draft" not in page
    assert "Year 4 Science Blog" not in client.get("/sites/?status=live").content.decode()
    csv_text = b"".join(client.get("/sites/?format=csv").streaming_content).decode()
    header, row = csv_text.splitlines()[:2]
    assert header.startswith("name,status,host")
    assert row.startswith("Year 4 Science Blog,Awaiting line manager,")


def test_register_query_count_does_not_grow_with_sites(cast) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        site_proposal_submit(site=proposal(cast, name=f"Site {n}"), by=cast.teacher)
    client = _as(cast.head)
    client.get("/sites/")  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        client.get("/sites/")
    for n in range(3, 12):
        site_proposal_submit(site=proposal(cast, name=f"Site {n}"), by=cast.teacher)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/sites/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    assert Site.objects.count() == 12
