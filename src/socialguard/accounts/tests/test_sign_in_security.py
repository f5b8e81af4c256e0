"""Sign-in lockout (django-axes), password reset that reveals nothing, idle sessions ending,
and private pages that no cache keeps."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from socialguard.accounts.middleware import LAST_SEEN, SIGNED_IN_AT
from socialguard.audit.models import AuditEvent
from socialguard.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
SIGN_IN = "/accounts/sign-in/"


def _attempt(client: Client, url: str, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(url, {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", [SIGN_IN, "/admin/login/"])
def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(cast, url) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    statuses = [_attempt(client, url, "admin", "wrong-password").status_code for _ in range(6)]
    assert statuses[:4] == [200] * 4 and statuses[4:] == [429, 429]
    locked = _attempt(client, url, "admin", PASSWORD)
    assert locked.status_code == 429 and not _signed_in(client)
    assert "Signing in is paused" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    # From another address too: the account itself is locked.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert _attempt(elsewhere, SIGN_IN, "admin", PASSWORD).status_code == 429
    # Another account signs in as usual from the first address.
    assert _attempt(client, SIGN_IN, "teacher", PASSWORD).status_code == 302


@override_settings(SOCIALGUARD_LOGIN_ADDRESS_FAILURE_LIMIT=8)
def test_an_address_guessing_across_accounts_is_locked_out(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for n in range(8):
        _attempt(client, SIGN_IN, f"nobody-{n}", "guess")
    refused = _attempt(client, SIGN_IN, "teacher", PASSWORD)
    assert refused.status_code == 429 and not _signed_in(client)
    assert (
        _attempt(Client(REMOTE_ADDR="198.51.100.8"), SIGN_IN, "teacher", PASSWORD).status_code
        == 302
    )


def test_a_reset_request_looks_the_same_whether_or_not_the_account_exists(
    cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    cast.teacher.email = "teacher@roselands.example"
    cast.teacher.save(update_fields=["email"])
    url = reverse("accounts:password_reset")
    assert reverse("accounts:password_reset") in Client().get(SIGN_IN).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post(url, {"email": "teacher@roselands.example"})
        unknown = Client().post(url, {"email": "nobody@nowhere.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["teacher@roselands.example"]
    link = re.search(r"http\S+/accounts/password/reset/\S+/\S+/", mail.outbox[0].body)
    assert link is not None

    # The link sets a new password once; the change is audited and the old password is gone.
    client = Client()
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")
    cast.teacher.refresh_from_db()
    assert cast.teacher.check_password("a-new-long-passphrase")
    assert AuditEvent.objects.filter(action="accounts.password.reset").count() == 1
    assert "no longer works" in Client().get("/" + path, follow=True).content.decode()


def test_reset_requests_are_limited_per_address(cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    cast.teacher.email = "teacher@roselands.example"
    cast.teacher.save(update_fields=["email"])
    client, url = Client(), reverse("accounts:password_reset")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post(url, {"email": "teacher@roselands.example"}).status_code for _ in range(8)
        ]
    assert statuses == [302] * 5 + [429] * 3
    assert len(mail.outbox) == 5


def _idle(client: Client, seconds: float) -> None:
    session = client.session
    session[LAST_SEEN] = time.time() - seconds
    session.save()


@pytest.mark.parametrize(
    ("who", "idle_minutes", "still_signed_in"),
    [
        ("dsl", 29, True),
        ("dsl", 31, False),
        ("admin", 31, False),
        ("head", 31, False),
        ("teacher", 31, True),
        ("teacher", 121, False),
    ],
)
def test_idle_sessions_end_sooner_for_safeguarding_and_admin_roles(
    cast, who, idle_minutes, still_signed_in
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(getattr(cast, who))
    assert client.get("/").status_code == 200  # the session learns who this is
    _idle(client, idle_minutes * 60)
    response = client.get("/", follow=True)
    assert _signed_in(client) is still_signed_in
    if not still_signed_in:
        assert "signed out after a spell without activity" in response.content.decode()


def test_no_session_outlives_a_working_day(cast) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    client = Client()
    client.force_login(cast.teacher)
    client.get("/")
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 13 * 3600
    session.save()
    client.get("/")
    assert not _signed_in(client)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("dsl", "/safeguarding/"),
        ("head", "/cases/"),
        ("admin", "/admin/"),
        ("governor", "/reports/"),
        ("head", "/audit/"),
        ("teacher", "/"),
    ],
)
def test_private_pages_are_never_stored(cast, who, url) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(getattr(cast, who))
    response = client.get(url)
    assert response.status_code == 200, url
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
