"""Building policy versions for tests, through the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from socialguard.policy.models import PolicyVersion
from socialguard.policy.parser import parse_policy_text
from socialguard.policy.services import policy_draft_create, policy_version_publish

SECOND_VERSION = "P\nVersion: 2\n\n6 STAFF\n6.9 Staff must not.\n"


def second_version_published(cast: Any, *, text: str = SECOND_VERSION) -> PolicyVersion:
    """A second version published by the head today, so that what came before was decided
    under the first (the clause links of earlier decisions go to the first version's page)."""
    draft = policy_draft_create(
        organisation=cast.organisation,
        parsed=parse_policy_text(text=text),
        source_name="v2.txt",
        by=cast.head,
    )
    return policy_version_publish(
        version=draft,
        by=cast.head,
        label="2",
        approved_on=timezone.localdate(),
        approved_by="FGB",
        next_review_on=timezone.localdate() + timedelta(days=730),
    )
