"""Schemathesis over /api/openapi.json, in-process through the WSGI app, as two roles: no
generated request, valid or deliberately invalid, may get a 5xx (issue 10).

Each operation gets a bounded number of examples in both of schemathesis' modes (data that fits
the schema and data that breaks it), so the whole run stays well under a minute. Failures are
collected rather than raised, so one run lists every 5xx instead of shrinking the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.openapi import from_wsgi

pytestmark = pytest.mark.django_db

ROLES = ("teacher", "comms")  # a proposer, and a moderator who also signs off as Comms
EXAMPLES = 25  # per operation, mode and role
CSRF = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"  # 32 characters: a valid CSRF secret for the cookie


@pytest.fixture
def federation(db: None) -> dict[str, Any]:
    from socialguard.accounts.models import User
    from socialguard.core.demo import demo_federation_load

    demo_federation_load()
    return {u.username: u for u in User.objects.filter(username__in=ROLES)}


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """The app is called as a plain WSGI app, whose request_finished signal would close the
    database connection (and with it the test's transaction on PostgreSQL). Django's own test
    client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _session_for(user: Any) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


def _fuzz(operation: Any, mode: GenerationMode, role: str, cookies: dict[str, str]) -> list[str]:
    """Up to EXAMPLES generated requests to one operation; the 5xx among them."""
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        label = f"{role} {case.method} {case.formatted_path} {mode}"
        try:
            response = case.call(cookies=cookies, headers={"X-CSRFToken": CSRF})
        except Exception as error:  # the app raised: a 500 in production
            failures.append(f"{label}: {error!r}"[:300])
            return
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code} {case.body!r}"[:300])

    run()
    return failures


def test_the_api_answers_no_5xx_to_generated_requests(federation, connection_kept) -> None:  # type: ignore[no-untyped-def]
    from socialguard.config.wsgi import application

    schema = from_wsgi("/api/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    failures: list[str] = []
    for role in ROLES:
        cookies = _session_for(federation[role])
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                failures += _fuzz(operation, mode, role, cookies)
    print(
        f"\nschemathesis: {len(operations)} operations x 2 modes x {len(ROLES)} roles, "
        f"up to {EXAMPLES} examples each: {len(failures)} answered 5xx"
    )
    assert failures == [], "\n".join(failures[:40])
