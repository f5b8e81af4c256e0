from __future__ import annotations

import pytest

from socialguard.cases.models import BreachCase, BreachReport, CaseAccess, MediaEnquiry
from socialguard.cases.tests.factories import case, named, report
from socialguard.core.dashboard import dashboard_cards_for

pytestmark = pytest.mark.django_db


def test_handlers_see_reports_to_triage_on_the_dashboard(cast):
    report(cast)
    named(cast, cast.governor)
    case(cast)
    for person in (cast.head, cast.governor):
        [card] = [c for c in dashboard_cards_for(person) if "breach report" in c.title]
        assert card.title == "1 breach report to triage" and "1 case open" in card.body
    for person in (cast.dsl, cast.comms, cast.teacher, cast.admin):
        assert not [c for c in dashboard_cards_for(person) if "breach" in c.title]


def test_the_demo_loads_fictional_reports_cases_and_an_enquiry(db):
    from socialguard.core.demo import demo_federation_load

    demo_federation_load()
    assert BreachReport.objects.filter(status="new", reporter_relationship="contractor").exists()
    stages = sorted(BreachCase.objects.values_list("stage", flat=True))
    assert stages == ["appeal", "investigation"]
    assert BreachCase.objects.get(stage="appeal").appeal.decided_by is None
    assert CaseAccess.objects.filter(user__username="governor").exists()
    assert MediaEnquiry.objects.get().status == "open"
    assert all(c.summary.startswith("(Demo record") for c in BreachCase.objects.all())


def _queries_for(client, url, django_assert_max_num_queries, limit):  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_list_pages_do_not_query_per_row(cast, django_assert_max_num_queries):
    from django.test import Client
    from django.urls import reverse

    from socialguard.cases.tests.factories import enquiry

    client = Client()
    client.force_login(cast.head)
    for _ in range(2):
        case(cast)
        report(cast)
        enquiry(cast)
    _queries_for(client, reverse("cases:inbox"), django_assert_max_num_queries, 15)
    _queries_for(client, reverse("cases:media_list"), django_assert_max_num_queries, 12)
    for _ in range(6):
        case(cast)
        report(cast)
        enquiry(cast)
    _queries_for(client, reverse("cases:inbox"), django_assert_max_num_queries, 15)
    _queries_for(client, reverse("cases:media_list"), django_assert_max_num_queries, 12)
