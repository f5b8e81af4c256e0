"""A contractor's breach report in a browser (9.4): reported without an account, triaged by the
head teacher into a case, taken through a hearing to an outcome; the staff member concerned
cannot open it."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from socialguard.cases.models import BreachCase, BreachReport
from socialguard.core.tests.factories import PASSWORD
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _report_as_contractor(page, organisation) -> str:  # type: ignore[no-untyped-def]
    # The form lists no organisations to anonymous visitors: the school publishes its own link.
    page.goto("/accounts/sign-in/")
    page.get_by_role("link", name="Report a breach of the policy").click()
    page.goto(f"/cases/report-breach/{organisation.slug}/")
    assert page.get_by_role(
        "heading", name="Report a breach of the Social Media Policy"
    ).is_visible()
    page.get_by_role("button", name="Send the report").click()  # nothing filled in
    assert page.get_by_text("Please correct the 3 problems below.").is_visible()
    screenshot(page, "cases-report-errors")

    page.get_by_label("Your name").fill("Dave Mills")
    page.get_by_label("Your e-mail address (optional)").fill("dave@contractor.example")
    page.get_by_label("Contractor or supplier (9.4)").check()
    page.get_by_label("What happened?").fill(
        "While fixing a classroom laptop I saw photos of the Year 4 trip posted from a "
        "personal Instagram account."
    )
    page.get_by_label("When did it happen? (optional)").fill("Tuesday afternoon")
    page.get_by_label("Which school? (if you know)").select_option(label="Stafford Junior School")
    page.get_by_label("Which part of the policy was breached? (optional)").select_option("6.9")
    screenshot(page, "cases-report-form")
    page.get_by_role("button", name="Send the report").click()
    assert page.get_by_role("heading", name="Thank you: your report has been sent").is_visible()
    code = page.locator("#reference").inner_text().strip()
    assert re.fullmatch(r"BR-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    screenshot(page, "cases-report-sent")
    return code


def test_a_contractors_report_becomes_a_case_and_reaches_an_outcome(page, cast, policy_version):  # type: ignore[no-untyped-def]
    mail.outbox.clear()
    code = _report_as_contractor(page, cast.head.organisation)
    assert any(code in m.body for m in mail.outbox if m.to == ["dave@contractor.example"])

    sign_in(page, cast.head.username, PASSWORD)
    assert page.get_by_text("1 breach report to triage").is_visible()
    page.get_by_role("link", name="Cases", exact=True).click()
    assert page.get_by_role("cell", name=code, exact=True).is_visible()
    screenshot(page, "cases-inbox")
    page.get_by_role("link", name=f"Triage {code}").click()
    assert page.get_by_text("photos of the Year 4 trip").is_visible()
    page.get_by_label("Staff member the case is about").select_option(str(cast.teacher.pk))
    page.get_by_label("What the case is about").fill("Pupils' photos on a personal account.")
    clauses = page.get_by_role("group", name="Clauses that may have been breached")
    assert clauses.get_by_label(re.compile(r"^\s*6\.9:")).is_checked()  # the reporter's choice
    clauses.get_by_label(re.compile(r"^\s*6\.8:")).check()
    screenshot(page, "cases-triage")
    page.get_by_role("button", name="Open the case").click()

    case = BreachCase.objects.get()
    assert page.get_by_text(f"Case {case.reference} opened.").is_visible()
    assert BreachReport.objects.get().status == BreachReport.Status.TRIAGED
    page.get_by_label("Kind of evidence").select_option("upload")
    page.get_by_label("File (for an upload)").set_input_files(
        files=[{"name": "instagram.png", "mimeType": "image/png", "buffer": b"\x89PNG demo"}]
    )
    page.get_by_label("What it shows").fill("Screenshot the contractor sent.")
    page.get_by_role("button", name="Add evidence").click()
    assert page.get_by_text("verified").is_visible()
    page.get_by_role("button", name="Move to hearing").click()
    assert page.get_by_text("Moved to the hearing stage.").first.is_visible()
    page.get_by_label("Outcome", exact=True).select_option("warning")
    page.get_by_label("Reasons", exact=True).fill("Admitted at the hearing; first occurrence.")
    page.get_by_role("button", name="Record the outcome").click()
    assert page.get_by_text("Outcome recorded.").is_visible()
    case.refresh_from_db()
    assert case.stage == "outcome" and case.outcome == "warning"
    assert case.outcome_decided_by == cast.head
    screenshot(page, "cases-case-outcome")
    assert page.csp_errors == []
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, cast.teacher.username, PASSWORD)
    assert page.get_by_role("link", name="Cases", exact=True).count() == 0
    response = page.goto(f"/cases/{case.pk}/")
    assert response.status == 403
    assert page.get_by_role("heading", name="You do not have access to this page").is_visible()
    assert case.reference not in page.content()
