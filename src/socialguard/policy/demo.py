"""The demo federation's policy: the shipped Roselands & Stafford policy, in force, with the
acknowledgements the demo's people have made. Registered first of the apps' demo loaders."""

from __future__ import annotations

from django.conf import settings

from socialguard.accounts.models import Organisation, User
from socialguard.core.demo import PEOPLE
from socialguard.policy.services import (
    policy_acknowledge,
    policy_file_parse,
    policy_version_import,
)


def demo_policy_load(organisation: Organisation, people: dict[str, User]) -> None:
    """The shipped policy as the federation's current version, acknowledged by the people
    ``PEOPLE`` marks."""
    path = settings.DEFAULT_POLICY_FILE
    parsed, sha = policy_file_parse(path=path)
    version = policy_version_import(
        organisation=organisation,
        parsed=parsed,
        source_name=path.name,
        source_sha256=sha,
        by=people["admin"],
    )
    for spec in PEOPLE:
        if spec.acknowledged:
            policy_acknowledge(person=people[spec.username], version=version)
