"""What people see: the public policy page, the dashboard per role, security headers."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from socialguard.policy.models import Acknowledgement

pytestmark = pytest.mark.django_db


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_policy_page_is_public_and_every_clause_is_anchored(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    page = Client().get("/policy/o/rs/").content.decode()
    ids = re.findall(r'<div class="clause" id="([^"]+)"', page)
    assert len(ids) == 81 and ids[0] == "1.1" and ids[-1] == "A.5.9"
    assert 'id="A.5.6"' in page
    for fact in ("Version", "April 2017", "FGB", "April 2019", "overdue for review"):
        assert fact in page


def test_signed_in_staff_acknowledge_from_the_policy_page(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    client = _as(cast.teacher)
    assert "I have read and will follow this policy" in client.get("/policy/").content.decode()
    response = client.post("/policy/acknowledge/", {"version": policy_version.pk})
    assert response.status_code == 302
    assert Acknowledgement.objects.filter(person=cast.teacher, version=policy_version).exists()
    assert "You acknowledged version 1" in client.get("/policy/").content.decode()


def test_stale_acknowledgement_form_is_refused(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    response = _as(cast.teacher).post("/policy/acknowledge/", {"version": 999999}, follow=True)
    assert "The policy has changed" in response.content.decode()
    assert not Acknowledgement.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        ("head", ["overdue for review", "have not acknowledged"], []),
        ("governor", ["overdue for review", "Read and acknowledge"], ["have not acknowledged"]),
        ("teacher", ["Read and acknowledge"], ["overdue for review"]),
        ("contractor", ["Read and acknowledge"], ["overdue for review"]),
        ("parent", [], ["Read and acknowledge", "overdue for review"]),
    ],
)
def test_dashboard_shows_what_each_role_has_to_do(
    cast, policy_version, role, expected, absent
) -> None:  # type: ignore[no-untyped-def]
    page = _as(getattr(cast, role)).get("/").content.decode()
    for text in expected:
        assert text in page, (role, text)
    for text in absent:
        assert text not in page, (role, text)


def test_head_sees_who_has_not_acknowledged_per_school(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    page = _as(cast.head).get("/policy/acknowledgements/").content.decode()
    assert "Stafford Junior School" in page and "Roselands Infant School" in page
    assert cast.teacher.get_full_name() in page


def test_security_headers_and_no_inline_script(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    for client, path in [
        (Client(), "/policy/o/rs/"),
        (_as(cast.head), "/"),
        (Client(), "/accounts/sign-in/"),
    ]:
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+=\"", html), path  # no inline event handlers
        assert 'style="' not in html, path
        assert 'class="skip-link"' in html and '<main id="main"' in html


def test_healthz_is_public() -> None:
    assert Client().get("/healthz").json() == {"status": "ok"}
