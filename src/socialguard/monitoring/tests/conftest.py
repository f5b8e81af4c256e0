from __future__ import annotations

from typing import Any

import pytest


def no_screening(texts: list[str]) -> list[dict[str, Any]]:
    return [{"flag": False} for _ in texts]


@pytest.fixture
def source(cast: Any) -> Any:
    from socialguard.monitoring.services import source_default

    return source_default(organisation=cast.organisation)


@pytest.fixture
def ingest(source: Any) -> Any:
    """Ingest with the real screening engine unless a test passes ``screen``."""
    from socialguard.monitoring.services import ingest_file

    def run(path: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("by", None)
        return ingest_file(source=kwargs.pop("source", source), path=path, **kwargs)

    return run
