from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _policy(request):  # type: ignore[no-untyped-def]
    """Clauses are chosen from the organisation's current policy, so every test with the cast
    has one."""
    if "cast" in request.fixturenames:
        request.getfixturevalue("policy_version")
