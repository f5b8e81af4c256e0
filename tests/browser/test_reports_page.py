"""A governor opens the reports on the demo federation: charts and tables, no names."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_governor_reads_the_figures_without_names(page) -> None:  # type: ignore[no-untyped-def]
    from socialguard.core.demo import DEMO_PASSWORD, demo_federation_load
    from socialguard.safeguarding.models import Concern

    demo_federation_load()
    sign_in(page, "governor", DEMO_PASSWORD)
    page.get_by_role("link", name="Reports").click()
    page.wait_for_selector("h1:has-text('Reports for governors')")
    assert page.locator("figure.chart svg").count() == 4
    table = page.locator("table.table-figures").first.inner_text()
    assert "safeguarding reports to the dsl" in table.lower()
    body = page.content()
    for concern in Concern.objects.all():
        assert concern.account[:40] not in body
    assert "Jolly" not in body  # no pupil pseudonyms either
    screenshot(page, "reports-governors")
    assert not page.csp_errors, page.csp_errors
