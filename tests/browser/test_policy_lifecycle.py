"""The policy's life cycle in the browser (issue 13, part 1): the overdue card starts a review;
the head uploads the school's own policy as a .docx, corrects a clause, publishes it with the
approval details; a teacher who acknowledged the old version is asked to acknowledge the new one
and sees which clauses changed. Screenshots of the draft preview, the diff and the
re-acknowledgement page at 1280 and 390 px go to docs/screenshots/."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from socialguard.policy.models import PolicyVersion
from tests.browser import test_accessibility as axe
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# What the school changed in its own copy of the shipped policy.
CHANGED_14 = (
    "Staff members must be conscious at all times of the need to keep their personal and "
    "professional lives separate, on every platform and messaging app."
)
ADDED_616 = (
    "6.16 Staff members must not use generative AI tools to create images of pupils, or to "
    "process pupils' personal data."
)


def _policy_docx() -> bytes:
    """The shipped policy as the school's Word document: its header as a table, version 2,
    clause 1.4 reworded, 6.16 added and 6.14 dropped."""
    import docx

    lines = Path(settings.DEFAULT_POLICY_FILE).read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    for line in lines:
        if line.startswith("Index Ref\t"):
            table = document.add_table(rows=2, cols=5)
            for cell, text in zip(table.rows[0].cells, line.split("\t"), strict=True):
                cell.text = text
            values = ["", "2", "November 2026", "FGB", "November 2028"]
            for cell, text in zip(table.rows[1].cells, values, strict=True):
                cell.text = text
            continue
        if line.startswith("\t1\tApril 2017"):
            continue  # the old values row: replaced above
        if line.startswith("- 6.14 "):
            continue
        if line.startswith("- 1.4 "):
            line = f"- 1.4 {CHANGED_14}"
        document.add_paragraph(line)
        if line.startswith("- 6.15 "):
            document.add_paragraph(f"- {ADDED_616}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _shots(page, name: str, *, height: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """Desktop and phone; a long page (the draft's 81 clauses) is shown to ``height`` px."""
    DOCS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": height or 900})
    page.screenshot(path=str(DOCS / f"{name}-desktop.png"), full_page=height is None)
    page.set_viewport_size({"width": 390, "height": height or 844})
    page.screenshot(path=str(DOCS / f"{name}-phone.png"), full_page=height is None)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name} is {width} px wide on a phone"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_review_upload_correct_publish_and_reacknowledge(
    page, browser, live_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from socialguard.core.demo import DEMO_PASSWORD, demo_federation_load

    demo_federation_load()
    sign_in(page, "head", DEMO_PASSWORD)

    # The overdue card starts the review.
    card = page.locator(".card", has_text="overdue for review")
    card.get_by_role("link", name="Start the review").click()
    page.get_by_label("Who prepares the new version").select_option(
        label="Priya Natarajan, Deputy Head and Designated Safeguarding Lead"
    )
    due = timezone.localdate() + timedelta(days=42)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Start the review").click()
    assert "The review has started" in page.locator(".messages").inner_text()
    review = PolicyVersion.objects.get(review_assignee__username="dsl")
    assert review.is_draft and review.clauses.count() == 81

    # The head uploads the school's own .docx.
    path = tmp_path / "Roselands Social Media Policy.docx"
    path.write_bytes(_policy_docx())
    page.goto("/policy/upload/")
    page.get_by_label("The policy document").set_input_files(str(path))
    page.get_by_role("button", name="Read it into a draft").click()
    assert "Read 81 clauses from Roselands Social Media Policy.docx" in page.inner_text("main")
    draft = PolicyVersion.objects.exclude(pk=review.pk).get(status="draft")
    assert (draft.version, draft.approved_by) == ("2", "FGB")
    warnings = page.locator(".parse-warnings li")
    assert any("6.14 is missing from the numbering" in w for w in warnings.all_inner_texts())
    assert page.locator("#\\31 \\.4 .change-tag").text_content() == "Changed"
    assert page.locator("#\\36 \\.16 .change-tag").text_content() == "Added"
    _shots(page, "policy-draft", height=1700)

    # It corrects a clause the parser classified as advice.
    page.get_by_role("link", name="Correct clause 6.16").click()
    page.get_by_label("Clause text").fill(ADDED_616.removeprefix("6.16 ") + " Ask the DSL first.")
    page.get_by_label("Must not").check()
    page.get_by_role("button", name="Save clause 6.16").click()
    assert "Clause 6.16 corrected." in page.locator(".messages").inner_text()
    assert "Ask the DSL first." in page.locator("#\\36 \\.16").inner_text()

    # And publishes it with the approval details.
    assert page.get_by_label("Approved by").input_value() == "FGB"
    approved = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Date approved").fill(approved.isoformat())
    page.get_by_label("Next review date").fill((approved + timedelta(days=731)).isoformat())
    page.get_by_role("button", name="Publish as the current policy").click()
    assert "Version 2 is now the current policy" in page.locator(".messages").inner_text()
    draft.refresh_from_db()
    assert draft.is_current and draft.approved_on == approved and draft.approved_by == "FGB"

    # The versions side by side.
    page.goto("/policy/compare/")
    assert "1 changed, 1 added, 1 removed" in page.inner_text("main")
    changed = page.locator(".diff-changed")
    assert changed.locator("del").all_inner_texts() == ["separate."]
    assert changed.locator("ins").all_inner_texts() == [
        "separate, on every platform and messaging app."
    ]
    _shots(page, "policy-diff")

    # A teacher who acknowledged version 1 is asked for version 2 and sees what changed.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    teacher = context.new_page()
    sign_in(teacher, "teacher2", DEMO_PASSWORD)
    teacher.get_by_role("link", name="See what changed").click()
    text = teacher.inner_text("main")
    assert "Compared with version 1: 1 changed, 1 added, 1 removed" in text
    numbers = teacher.locator(".diff-number").all_inner_texts()
    assert numbers == ["1.4", "6.14", "6.16"]
    _shots(teacher, "policy-reacknowledge")
    teacher.get_by_role("button", name="I have read and will follow version 2").click()
    assert "You have acknowledged version 2" in teacher.locator(".messages").inner_text()
    assert page.csp_errors == []
    context.close()


@pytest.fixture
def axe_sessions(browser, live_server):  # type: ignore[no-untyped-def]
    if not axe.AXE.exists():
        pytest.skip(f"axe-core not installed at {axe.AXE} (the CI script installs it with npm)")
    from socialguard.core.demo import demo_federation_load

    demo_federation_load()
    opened = axe.Sessions(browser, live_server.url)
    yield opened
    opened.close()


def test_the_policy_forms_with_their_errors_pass_axe(axe_sessions) -> None:  # type: ignore[no-untyped-def]
    """The pages are in the axe catalogue; these are their forms sent back with errors."""
    import json

    from tests import page_catalogue

    draft = page_catalogue._policy_draft()
    forms = [
        ("/policy/upload/", None, "Read it into a draft"),
        ("/policy/review/", None, "Start the review"),
        (f"/policy/drafts/{draft.pk}/clauses/5.3/", "Clause text", "Save clause 5.3"),
        (f"/policy/drafts/{draft.pk}/", "Approved by", "Publish as the current policy"),
    ]
    found: dict[str, list[str]] = {}
    for path, emptied, button in forms:
        for viewport in (axe.DESKTOP, axe.PHONE):
            page = axe_sessions.page("head", viewport)
            page.goto(path)
            if emptied:
                page.get_by_label(emptied).fill("")
            page.get_by_role("button", name=button).click()
            page.wait_for_load_state()
            assert page.locator(".field-error").count() > 0, (path, "no errors shown")
            if problems := axe._violations(page):
                found[f"{viewport['width']}px {path} with errors"] = problems
    assert not found, json.dumps(found, indent=2)
