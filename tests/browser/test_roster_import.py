"""The administrator imports a pupils CSV in SIMS shape from the browser: the dry run lists who
joins, changes and leaves; applying it changes the roster; a leaver is ended, not deleted.
Screenshots of the dry run at 1280 and 390 px go to docs/screenshots/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from socialguard.accounts.models import Role, RoleAssignment, User
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIMS_PUPILS = (
    "\ufeffUPN,Legal Surname,Legal Forename,Preferred Surname,Preferred Forename,Year,Reg Group\n"
    "H801200001001,Bennett,Oliver,,Olly,Year 5,5B\n"
    "H801200001002,Clarke,Amelia,,,Year 4,4B\n"
    "H801200009999,Hughes,Freya,,,Year 4,4B\n"
)


def test_the_administrator_imports_pupils_from_a_sims_export(  # type: ignore[no-untyped-def]
    browser, live_server
) -> None:
    from django.core.cache import cache

    from socialguard.core.demo import DEMO_PASSWORD, demo_federation_load

    cache.clear()
    demo_federation_load()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    sign_in(page, "admin", DEMO_PASSWORD)
    page.goto("/integrations/roster/")
    page.get_by_label("Pupils").check()
    page.get_by_label("School").select_option(label="Stafford Junior School")
    page.get_by_label("CSV file").set_input_files(
        {"name": "pupils.csv", "mimeType": "text/csv", "buffer": SIMS_PUPILS.encode("utf-8")}
    )
    page.get_by_role("button", name="Show the dry run").click()

    # The dry run: Freya joins, Oliver moves up a year, Noah (not in the file) leaves
    assert page.get_by_role("heading", name="Dry run: Pupils from pupils.csv").is_visible()
    joining = page.get_by_role("table", name="People who join")
    assert joining.get_by_text("Freya Hughes").is_visible()
    changing = page.get_by_role("table", name="People whose details change")
    assert changing.get_by_text("year group 4 → 5").is_visible()
    leaving = page.get_by_role("table", name="People who leave")
    assert leaving.get_by_text("Noah Patel").is_visible()
    assert not User.objects.filter(first_name="Freya").exists()

    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "roster-dry-run-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(DOCS / "roster-dry-run-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Apply the import").click()
    assert page.get_by_text("Applied: 1 joined, 2 changed, 1 left.").is_visible()
    freya = User.objects.get(first_name="Freya", last_name="Hughes")
    assert freya.role_assignments.get(role=Role.PUPIL).year_group == "4"
    oliver = RoleAssignment.objects.get(user__username="pupil", role=Role.PUPIL)
    assert oliver.year_group == "5"
    noah = User.objects.get(first_name="Noah", last_name="Patel")
    assert noah.left_on == date.today()
    assert errors == []
    context.close()
