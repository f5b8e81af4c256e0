"""Single sign-on against a real OpenID Connect provider that the test starts in a process of
its own (django-oidc-provider, tests/oidc_idp): the whole code flow, the ID token's signature
checked with the provider's published keys, the e-mail matched to an existing person."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from urllib.parse import urljoin

import pytest
import requests
from django.test import Client
from tests.oidc_idp import Provider, oidc_provider

from socialguard.accounts import sso
from socialguard.accounts.models import SingleSignOn, User
from socialguard.audit.models import AuditEvent
from socialguard.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
CALLBACK = "http://testserver/accounts/sso/callback/"
IDP_PASSWORD = "school-account-password"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    people = [
        {"username": name, "email": f"{name}@example.sch.uk", "password": IDP_PASSWORD}
        for name in ("teacher", "dsl", "stranger", "contractor")
    ]
    with oidc_provider(redirect_uris=[CALLBACK], people=people) as running:
        yield running


@pytest.fixture
def configured(cast: Any, provider: Provider) -> SingleSignOn:
    return sso.single_sign_on_save(
        organisation=cast.organisation,
        provider=SingleSignOn.Provider.OTHER,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        domain="example.sch.uk",
        issuer=provider.url,
        by=cast.admin,
    )


def _through_provider(authorize_url: str, username: str) -> str:
    """Act as the person's browser at the provider: its sign-in form, then back to us."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    nxt = re.search(r'name="next" value="([^"]*)"', page.text)
    assert token and nxt, page.text[:500]
    answer = browser.post(
        page.url,
        data={
            "csrfmiddlewaretoken": token.group(1),
            "username": username,
            "password": IDP_PASSWORD,
            "next": nxt.group(1).replace("&amp;", "&"),
        },
        allow_redirects=False,
        timeout=10,
    )
    location = answer.headers["Location"]
    while not location.startswith(CALLBACK):
        answer = browser.get(urljoin(answer.url, location), allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text[:500]
        location = answer.headers["Location"]
    return location.removeprefix("http://testserver")


def _sign_in_with_school_account(client: Client, username: str) -> Any:
    start = client.post("/accounts/sso/", {"email": f"{username}@example.sch.uk"})
    return client.get(_through_provider(_target(start), username))


def _target(start: Any) -> str:
    """The provider's address on the page that moves the browser on (not a redirect: the
    Content-Security-Policy's form-action would stop one)."""
    assert start.status_code == 200, start.content[:300]
    target = start.context["target"]
    assert target.startswith("http://127.0.0.1:") and f'content="0;url={target}' in (
        start.content.decode().replace("&amp;", "&")
    )
    return str(target)


def test_a_teacher_signs_in_with_the_school_account(cast: Any, configured: SingleSignOn) -> None:
    # Given a teacher recorded here with their school e-mail, and the school's provider set up
    client = Client()
    # When they sign in at the provider
    response = _sign_in_with_school_account(client, "teacher")
    # Then they are signed in here as themselves
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(cast.teacher.pk)
    assert client.get("/").status_code == 200


def test_nobody_is_created_by_signing_in(cast: Any, configured: SingleSignOn) -> None:
    # Given someone the provider knows but who is not recorded here
    before = User.objects.count()
    client = Client()
    # When they sign in at the provider
    response = _sign_in_with_school_account(client, "stranger")
    # Then they are refused in plain words and nobody was created
    assert response.status_code == 403
    assert "nobody is created by signing in" in response.content.decode()
    assert User.objects.count() == before and "_auth_user_id" not in client.session


def test_a_leaver_cannot_sign_in_with_the_school_account(
    cast: Any, configured: SingleSignOn
) -> None:
    cast.contractor.left_on = date.today() - timedelta(days=1)
    cast.contractor.save(update_fields=["left_on"])
    client = Client()
    assert _sign_in_with_school_account(client, "contractor").status_code == 403
    assert "_auth_user_id" not in client.session


def test_an_answer_not_started_here_is_refused(cast: Any, configured: SingleSignOn) -> None:
    # Given a sign-in started by one browser
    first = Client()
    start = first.post("/accounts/sso/", {"email": "teacher@example.sch.uk"})
    callback = _through_provider(_target(start), "teacher")
    # When another browser (without that session) brings the answer back
    other = Client()
    response = other.get(callback)
    # Then it is refused, and a forged state is refused too
    assert response.status_code == 400 and "_auth_user_id" not in other.session
    forged = first.get(re.sub(r"state=[^&]+", "state=forged", callback))
    assert forged.status_code == 400 and "_auth_user_id" not in first.session


def test_password_sign_in_keeps_working(cast: Any, configured: SingleSignOn) -> None:
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": "teacher", "password": PASSWORD})
    assert response.status_code == 302
    assert "Sign in with your school account" in Client().get("/accounts/sign-in/").content.decode()


def test_an_address_of_no_configured_school_is_told_to_use_a_password(cast: Any) -> None:
    response = Client().post("/accounts/sso/", {"email": "someone@elsewhere.example"})
    assert response.status_code == 400
    assert "Sign in with your username and password" in response.content.decode()


def test_the_administrator_sets_up_the_provider_and_the_secret_is_never_shown(
    cast: Any, provider: Provider
) -> None:
    # Given the organisation's administrator on the settings page
    client = Client()
    client.force_login(cast.admin)
    form = {
        "provider": "other",
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
        "domain": "example.sch.uk",
        "issuer": provider.url,
        "enabled": "on",
    }
    # When they save it
    saved = client.post("/accounts/sso/settings/", form)
    # Then it is kept with the secret encrypted, audited without the secret, and never shown
    assert saved.status_code == 302
    config = SingleSignOn.objects.get(organisation=cast.organisation)
    assert config.client_secret and provider.client_secret not in config.client_secret
    event = AuditEvent.objects.get(action="accounts.sso.configure")
    assert provider.client_secret not in str(event.details)
    page = client.get("/accounts/sso/settings/").content.decode()
    assert provider.client_secret not in page and "never shown again" in page
    # And saving again without a secret keeps the one saved
    client.post("/accounts/sso/settings/", {**form, "client_secret": ""})
    config.refresh_from_db()
    assert sso.decrypt(config.client_secret) == provider.client_secret


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"provider": "microsoft", "tenant": ""}, "tenant"),
        ({"provider": "google", "domain": ""}, "Workspace domain"),
        ({"issuer": "http://idp.example.org"}, "https://"),
        ({"client_id": ""}, "client (application) id"),
        ({"provider": "nonsense"}, "Choose Microsoft"),
    ],
)
def test_settings_are_checked_in_plain_words(
    cast: Any, change: dict[str, str], message: str
) -> None:
    client = Client()
    client.force_login(cast.admin)
    form = {
        "provider": "other",
        "client_id": "abc",
        "client_secret": "s3cret",
        "issuer": "https://idp.example.org",
        **change,
    }
    response = client.post("/accounts/sso/settings/", form)
    assert response.status_code == 400 and message in response.content.decode()
    assert not SingleSignOn.objects.exists()


def test_only_administrators_set_up_the_provider(cast: Any) -> None:
    client = Client()
    client.force_login(cast.head)
    assert client.get("/accounts/sso/settings/").status_code == 403
    assert client.post("/accounts/sso/settings/", {"provider": "google"}).status_code == 403
    assert not SingleSignOn.objects.exists()
