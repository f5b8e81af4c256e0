"""A case and a report cite the clauses of the policy in force when they were made: after a new
version is published, their clause links go to the earlier version's page (issue 13)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialguard.cases.tests.factories import case, report
from socialguard.policy.parser import parse_policy_text
from socialguard.policy.services import policy_draft_create, policy_version_publish

pytestmark = pytest.mark.django_db


def _publish_second_version(cast) -> None:  # type: ignore[no-untyped-def]
    draft = policy_draft_create(
        organisation=cast.organisation,
        parsed=parse_policy_text(text="P\nVersion: 2\n\n6 STAFF\n6.9 Staff must not.\n"),
        source_name="v2.txt",
        by=cast.head,
    )
    policy_version_publish(
        version=draft,
        by=cast.head,
        label="2",
        approved_on=timezone.localdate(),
        approved_by="FGB",
        next_review_on=timezone.localdate() + timedelta(days=730),
    )


def test_a_case_and_a_report_link_their_clauses_to_the_version_in_force_then(
    cast, policy_version
) -> None:  # type: ignore[no-untyped-def]
    opened = case(cast, clauses=("6.9",))
    named = report(cast, clause_number="6.9")
    client = Client()
    client.force_login(cast.head)
    before = client.get(reverse("cases:case", args=[opened.pk])).content.decode()
    assert 'href="/policy/#6.9"' in before  # under the current version: the policy page

    _publish_second_version(cast)
    old = f'href="/policy/versions/{policy_version.pk}/#6.9"'
    assert old in client.get(reverse("cases:case", args=[opened.pk])).content.decode()
    assert old in client.get(reverse("cases:report", args=[named.pk])).content.decode()
