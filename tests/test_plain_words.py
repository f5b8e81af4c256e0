"""No raw code on any page: every page of the URL conf (tests/page_catalogue.py), opened by the
person who uses it on the demo federation, says what happened in words. A finding category is
shown by its registry label ("Hate against people for who they are"), never its code
("extreme_offence"); an audit action by its words ("Media enquiry logged"), never
"cases.media.log"; and every id an aria-describedby names is on the page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from socialguard.core import labels
from socialguard.screening.categories import CATEGORIES
from tests import page_catalogue
from tests.test_form_descriptions import missing_descriptions

pytestmark = pytest.mark.django_db

APPS = "|".join(
    [
        "accounts",
        "admin",
        "approvals",
        "audit",
        "cases",
        "community",
        "lexicon",
        "moderation",
        "monitoring",
        "notifications",
        "policy",
        "safeguarding",
        "sites",
    ]
)
DOTTED = re.compile(rf"\b(?:{APPS})\.[a-z_]+(?:\.[a-z_]+)*\b")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
OTHER = re.compile(r"\((?:watched|house_rule|clause):[^)]*\)|Action starts with|\b[a-z]+offence\b")
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class _Visible(HTMLParser):
    """The text a person reads or hears: text nodes and the attributes read aloud."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [v for k, v in attrs if k in SHOWN_ATTRIBUTES and v]
        if tag == "option":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(parser.parts)


def raw_codes(text: str) -> list[str]:
    codes = set(CATEGORIES) | set(labels.registered("review_action"))
    codes |= set(labels.registered("review_event"))
    found = {c for c in SNAKE.findall(text) if c in codes}
    found |= set(DOTTED.findall(text)) | set(OTHER.findall(text))
    return sorted(found)


def test_the_checker_finds_the_codes_issue_12_saw() -> None:
    page = (
        '<p title="Personal data masked: extreme_offence (A.5.6)">Why: house_rule_review (A.4.1)'
        " (watched:1) raise_safeguarding</p><td>cases.media.log</td>"
        "<label>Action starts with</label> extremeoffence"
    )
    assert raw_codes(visible_text(page)) == sorted(
        [
            "extreme_offence",
            "house_rule_review",
            "(watched:1)",
            "raise_safeguarding",
            "cases.media.log",
            "Action starts with",
            "extremeoffence",
        ]
    )
    assert raw_codes("Read the policy at del.icio.us on 1.5.2026, chapter A.5.6") == []


def test_the_catalogue_covers_every_named_url() -> None:
    assert page_catalogue.uncatalogued() == []


def test_no_page_shows_a_raw_code_and_every_description_is_there() -> None:
    from socialguard.accounts.models import User
    from socialguard.core.demo import demo_federation_load

    demo_federation_load()
    codes: dict[str, list[str]] = {}
    undescribed: dict[str, list[str]] = {}
    for page in page_catalogue.pages():
        client = Client()
        if page.username:
            client.force_login(User.objects.get(username=page.username))
        response = client.get(page.path)
        assert response.status_code == 200, (page.label, response.status_code)
        html = response.content.decode()
        if found := raw_codes(visible_text(html)):
            codes[page.label] = found
        if missing := missing_descriptions(html):
            undescribed[page.label] = missing
    assert codes == {}
    assert undescribed == {}
