"""Clause numbers on a decision link to the version of the policy in force when it was taken
(issue 13): ``{% clause_link_at %}``, ``{% clause_links_at %}``, ``{% plain_words_at %}``; the
current version keeps ``/policy/#<clause>``, and the old filters are unchanged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from socialguard.policy.tests.factories import second_version_published

pytestmark = pytest.mark.django_db

TEMPLATE = Template(
    "{% load plain %}{% clause_link_at '2.1' when %}|{% clause_links_at text when %}|"
    "{% plain_words_at text when %}|{{ '2.1'|clause_link }}"
)


def _render(user, when) -> list[str]:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = user
    context = Context({"request": request, "when": when, "text": "Rejected (A.5.6)"})
    return TEMPLATE.render(context).split("|")


def test_links_follow_the_version_in_force(
    cast, policy_version, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    before = timezone.now()
    old_v = policy_version.pk
    # Before a second version, every decision is under the current one: /policy/.
    assert 'href="/policy/#2.1"' in _render(cast.head, before)[0]
    second_version_published(cast, text="P\nVersion: 2\n\n1 INTRODUCTION\n1.1 Staff must.\n")
    link, links, words, plain = _render(cast.head, before)
    assert f'href="/policy/versions/{old_v}/#2.1"' in link
    assert f'href="/policy/versions/{old_v}/#A.5.6"' in links and "Rejected" in links
    assert f'href="/policy/versions/{old_v}/#A.5.6"' in words
    assert 'href="/policy/#2.1"' in plain  # the filter without a time: the current version
    now = _render(cast.head, timezone.now())
    assert 'href="/policy/#2.1"' in now[0] and 'href="/policy/#A.5.6"' in now[1]
    # Before any version, and for someone with no organisation, the current page.
    assert 'href="/policy/#2.1"' in _render(cast.head, before - timedelta(days=3650))[0]
    with django_assert_max_num_queries(1):  # the timeline is read once per page
        _render(cast.head, before)


def test_a_time_that_is_not_a_datetime_links_to_the_current_version(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/policy/#2.1"' in _render(cast.head, "yesterday")[0]
    assert 'href="/policy/#2.1"' in _render(cast.head, None)[0]
