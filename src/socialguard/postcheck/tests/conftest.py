from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_roster() -> Iterator[None]:
    """The screening roster is cached per organisation id, and ids repeat between tests."""
    cache.clear()
    yield
    cache.clear()
