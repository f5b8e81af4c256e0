"""Members' text is sanitised (nh3) before it is stored and shown: script is inert."""

from __future__ import annotations

import pytest
from django.urls import reverse

from socialguard.community.rendering import body_html, highlighted
from socialguard.community.tests.factories import live_site, published

ATTACK = (
    '<script>alert("x")</script><img src=x onerror="alert(1)">'
    '<a href="javascript:alert(2)">click</a> <b>bold</b> <iframe src="//evil"></iframe>'
)


def test_script_and_handlers_are_removed_and_formatting_kept():
    html = body_html(ATTACK)
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<iframe" not in html
    assert "<b>bold</b>" in html


def test_links_open_safely():
    assert 'rel="nofollow noopener noreferrer"' in body_html("<a href='https://example.org'>x</a>")


@pytest.mark.django_db
def test_a_posted_script_is_inert_on_the_page(cast, client):
    site = live_site(cast)
    published(site, cast.teacher, cast.comms, ATTACK)
    client.force_login(cast.teacher)
    page = client.get(reverse("community:site", args=[site.pk])).content.decode()
    assert "<script>alert" not in page and "onerror=" not in page
    assert "javascript:alert" not in page and "<b>bold</b>" in page


def test_findings_are_marked_and_personal_data_masked():
    text = "ring 07700 900123 you idiot"
    findings = [
        {"start": 5, "end": 17, "category": "phone", "clauses": ["A.4.9"], "redact": True},
        {"start": 22, "end": 27, "category": "insult", "clauses": ["A.4.5"]},
    ]
    segments = highlighted(text, findings)
    assert [s.kind for s in segments] == ["plain", "masked", "plain", "finding"]
    assert segments[1].text == "[a phone number]"
    assert "07700" not in "".join(s.text for s in segments)
