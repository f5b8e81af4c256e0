"""A case and a report cite the clauses of the policy in force when they were made: after a new
version is published, their clause links go to the earlier version's page (issue 13)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from socialguard.cases.tests.factories import case, report
from socialguard.policy.tests.factories import second_version_published

pytestmark = pytest.mark.django_db


def test_a_case_and_a_report_link_their_clauses_to_the_version_in_force_then(
    cast, policy_version
) -> None:  # type: ignore[no-untyped-def]
    opened = case(cast, clauses=("6.9",))
    named = report(cast, clause_number="6.9")
    client = Client()
    client.force_login(cast.head)
    before = client.get(reverse("cases:case", args=[opened.pk])).content.decode()
    assert 'href="/policy/#6.9"' in before  # under the current version: the policy page

    second_version_published(cast)
    old = f'href="/policy/versions/{policy_version.pk}/#6.9"'
    assert old in client.get(reverse("cases:case", args=[opened.pk])).content.decode()
    assert old in client.get(reverse("cases:report", args=[named.pk])).content.decode()
