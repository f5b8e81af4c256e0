"""The queue page's queries do not grow with the number of items (1,000 waiting)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socialguard.community.models import Contribution
from socialguard.community.tests.factories import live_site, post
from socialguard.moderation.models import ReviewItem, ReviewSignal

pytestmark = pytest.mark.django_db


def fill(site, author, count: int) -> None:
    contributions = Contribution.objects.bulk_create(
        Contribution(
            site=site,
            author=author,
            author_label="Mr T",
            kind="post",
            body=f"Post number {n}",
            body_html=f"<p>Post number {n}</p>",
        )
        for n in range(count)
    )
    items = ReviewItem.objects.bulk_create(
        ReviewItem(
            organisation_id=site.organisation_id,
            site=site,
            type="queued_post",
            contribution=c,
            target_author=author,
            priority=n % 4,
            payload={
                "findings": [
                    {
                        "start": 0,
                        "end": 4,
                        "category": "insult",
                        "clauses": ["A.4.5"],
                        "severity": "low",
                        "explanation": "x",
                    }
                ]
            },
        )
        for n, c in enumerate(contributions)
    )
    ReviewSignal.objects.bulk_create(
        ReviewSignal(item=i, source="screening", reason="insult (A.4.5)") for i in items
    )


def queries_for(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("moderation:queue"))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_queue_page_with_1000_items_runs_a_fixed_number_of_queries(cast, client):
    site = live_site(cast)
    post(site, cast.teacher, "warm-up")  # one item made the real way
    client.force_login(cast.comms)
    queries_for(client)  # the first request after signing in also refreshes the session
    few, _ = queries_for(client)
    fill(site, cast.teacher, 1000)
    many, page = queries_for(client)
    assert many == few, f"{few} queries with 1 item, {many} with 1,001"
    assert many <= 25
    assert "1001 waiting" in page
