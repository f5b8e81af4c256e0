"""The API's documentation page draws Swagger UI from our own static files, under a CSP that
allows no script from elsewhere, and lists the endpoints (concerns and cases are not there)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_the_docs_page_shows_the_endpoints_from_vendored_assets(page) -> None:  # type: ignore[no-untyped-def]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    response = page.goto("/api/docs/")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("/api/review-items", exact=True).first.wait_for(timeout=15000)
    assert page.get_by_text("/api/sites", exact=True).first.is_visible()
    text = page.locator("#swagger-ui").inner_text().casefold()
    assert "concern" not in text and "breach" not in text
    base = page.url.split("/api/")[0]
    assert all(url.startswith(base) or url.startswith("data:") for url in requests), requests
    assert page.csp_errors == []
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "api-docs-desktop.png"), full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(DOCS / "api-docs-phone.png"), full_page=False)
