"""The policy, acknowledgement and contribution endpoints: same permissions as the pages,
filters, limit/offset with the total in a header, and what the author of a withheld post sees."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from socialguard.community.models import Contribution
from socialguard.policy.models import Acknowledgement

pytestmark = pytest.mark.django_db


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_policy_with_its_clauses_filtered_by_number(cast: Any, policy_version: Any) -> None:
    everything = _as(cast.teacher).get("/api/policy").json()
    assert everything["id"] == policy_version.pk and everything["acknowledged_at"] is None
    some = _as(cast.teacher).get("/api/policy", {"clause": "A.5."}).json()
    numbers = [c["number"] for c in some["clauses"]]
    assert numbers and all(n.startswith("A.5.") for n in numbers)
    assert len(numbers) < len(everything["clauses"])


def test_staff_acknowledge_and_the_head_sees_who_has(cast: Any, policy_version: Any) -> None:
    done = _as(cast.teacher).post("/api/policy/acknowledge")
    assert done.status_code == 200 and done.json()["version_id"] == policy_version.pk
    assert Acknowledgement.objects.filter(person=cast.teacher).exists()
    refused = _as(cast.parent).post("/api/policy/acknowledge")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    # The head: filters and a page of one, with the total in the header
    head = _as(cast.head)
    yes = head.get("/api/policy/acknowledgements", {"acknowledged": "true"}).json()
    assert [r["person_id"] for r in yes] == [cast.teacher.pk]
    page = head.get("/api/policy/acknowledgements", {"limit": 1, "offset": 1})
    assert len(page.json()) == 1 and int(page["X-Total-Count"]) > 2
    junior = head.get("/api/policy/acknowledgements", {"school_id": cast.junior.pk}).json()
    assert {r["school"] for r in junior} == {cast.junior.name}
    assert _as(cast.teacher).get("/api/policy/acknowledgements").status_code == 403


def test_my_contributions_hide_where_a_withheld_post_went(cast: Any) -> None:
    from socialguard.community.tests.factories import live_site

    site = live_site(cast)
    for status in (Contribution.Status.WITHHELD, Contribution.Status.REJECTED):
        Contribution.objects.create(
            site=site,
            author=cast.pupil,
            author_label="Pupil A",
            kind=Contribution.Kind.POST,
            body="text",
            status=status,
            reason="Breaks House Rule 2." if status == "rejected" else "Raised with the DSL.",
        )
    rows = _as(cast.pupil).get("/api/contributions").json()
    by_status = {r["status"]: r for r in rows}
    assert set(by_status) == {"received", "rejected"}
    assert by_status["received"]["reason"] == ""
    assert by_status["rejected"]["reason"] == "Breaks House Rule 2."
    assert "withheld" not in str(rows)
    only = _as(cast.pupil).get("/api/contributions", {"status": "received"}).json()
    assert [r["status"] for r in only] == ["received"]
    bad = _as(cast.pupil).get("/api/contributions", {"status": "withheld"})
    assert bad.status_code == 400 and set(bad.json()) == {"code", "message", "detail"}
    assert _as(cast.teacher).get("/api/contributions").json() == []


def test_the_lists_page_with_the_total_in_a_header(cast: Any) -> None:
    from socialguard.sites.models import Site
    from socialguard.sites.tests.factories import proposal

    for n in range(3):
        site = proposal(cast, name=f"Site {n}")
        site.status = Site.Status.LIVE
        site.save(update_fields=["status"])
    client = _as(cast.teacher)
    every = client.get("/api/sites")
    assert int(every["X-Total-Count"]) == len(every.json()) >= 3
    second = client.get("/api/sites", {"limit": 1, "offset": 1})
    assert [s["id"] for s in second.json()] == [every.json()[1]["id"]]
    assert second["X-Total-Count"] == every["X-Total-Count"]
    assert client.get("/api/sites", {"limit": 0}).status_code == 422
    assert client.get("/api/approvals/waiting", {"offset": -1}).status_code == 422
