"""Two-step sign-in: required for safeguarding leads, the head and administrators before a
concern, a case or the admin; optional for others; recovery codes; an administrator's reset."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from django.core import mail
from django.test import Client, override_settings

from socialguard.accounts import mfa
from socialguard.accounts.models import MfaMethod, RecoveryCode
from socialguard.audit.models import AuditEvent
from socialguard.core.errors import ApplicationError
from socialguard.core.tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enforced")]


@pytest.fixture
def enforced() -> Any:
    with override_settings(SOCIALGUARD_MFA_REQUIRED=True):
        yield


def _signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _enrol(user: Any) -> str:
    """Give ``user`` an authenticator app through the service; returns its secret."""
    secret = pyotp.random_base32()
    mfa.totp_confirm(user=user, secret=secret, code=pyotp.TOTP(secret).now())
    return secret


def _code_after_last(secret: str, method: MfaMethod) -> str:
    """A code that has not been used yet: the next 30-second step's (accepted one either
    side), so a test does not wait for the clock."""
    totp = pyotp.TOTP(secret)
    step = max(int(time.time()) // 30, (method.last_step or 0) + 1)
    return totp.generate_otp(step)


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("dsl", "/safeguarding/"),
        ("dsl", "/moderation/safeguarding/"),
        ("dsl", "/audit/"),
        ("deputy_dsl", "/safeguarding/"),
        ("head", "/cases/"),
        ("admin", "/admin/"),
        ("admin", "/integrations/roster/"),
        ("admin", "/integrations/webhook/"),
    ],
)
def test_a_lead_head_or_administrator_without_a_second_step_is_sent_to_set_one_up(
    cast: Any, who: str, target: str
) -> None:
    # Given a safeguarding lead (or head, or administrator) who signed in with a password only
    client = _signed_in(getattr(cast, who).username)
    # When they open the concerns, the cases or the admin
    response = client.get(target)
    # Then they are sent to set up a second step, and come back afterwards
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/?next=")
    assert target.replace("/", "%2F") in response["Location"]


def test_setting_up_an_app_shows_recovery_codes_once_and_opens_the_concerns(cast: Any) -> None:
    # Given the DSL on the set-up page, with the key it shows
    client = _signed_in("dsl")
    page = client.get("/accounts/mfa/authenticator/?next=/safeguarding/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    secret = client.session[mfa.PENDING_TOTP]
    # When they type a wrong code, then the right one
    wrong = client.post("/accounts/mfa/authenticator/", {"code": "000000"})
    assert wrong.status_code == 400 and "did not match" in wrong.content.decode()
    done = client.post(
        "/accounts/mfa/authenticator/",
        {"code": pyotp.TOTP(secret).now(), "name": "My phone", "next": "/safeguarding/"},
    )
    # Then the app is kept (its secret encrypted), ten recovery codes are shown once
    assert done.status_code == 200
    method = MfaMethod.objects.get(user=cast.dsl)
    assert method.name == "My phone" and secret not in method.secret and method.secret
    assert done.content.decode().count("<li><code>") == 10
    assert RecoveryCode.objects.filter(user=cast.dsl).count() == 10
    # And the concerns open in this session
    assert client.get("/safeguarding/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.mfa.add", target_id=str(cast.dsl.pk)).exists()


def test_an_enrolled_lead_gives_a_code_at_each_sign_in_and_a_code_works_once(cast: Any) -> None:
    # Given a DSL with an authenticator app, freshly signed in
    secret = _enrol(cast.dsl)
    client = _signed_in("dsl")
    # When they open the concerns, they are asked for a code first
    asked = client.get("/safeguarding/")
    assert asked["Location"] == "/accounts/mfa/verify/?next=%2Fsafeguarding%2F"
    assert client.get(asked["Location"]).status_code == 200
    # A wrong code is refused in plain words
    wrong = client.post("/accounts/mfa/verify/", {"code": "123456", "next": "/safeguarding/"})
    assert wrong.status_code == 400 and "did not match" in wrong.content.decode()
    # The right one opens the concerns
    method = MfaMethod.objects.get(user=cast.dsl)
    code = _code_after_last(secret, method)
    right = client.post("/accounts/mfa/verify/", {"code": code, "next": "/safeguarding/"})
    assert right.status_code == 302 and right["Location"] == "/safeguarding/"
    assert client.get("/safeguarding/").status_code == 200
    # And the same code does not sign in a second session
    other = _signed_in("dsl")
    again = other.post("/accounts/mfa/verify/", {"code": code, "next": "/safeguarding/"})
    assert again.status_code == 400
    assert other.get("/safeguarding/").status_code == 302


def test_signing_in_again_asks_again(cast: Any) -> None:
    secret = _enrol(cast.dsl)
    client = _signed_in("dsl")
    method = MfaMethod.objects.get(user=cast.dsl)
    client.post("/accounts/mfa/verify/", {"code": _code_after_last(secret, method)})
    assert client.get("/safeguarding/").status_code == 200
    # When they sign out and in again, the second step is asked again
    client.post("/accounts/sign-out/")
    client.post("/accounts/sign-in/", {"username": "dsl", "password": PASSWORD})
    assert client.get("/safeguarding/").status_code == 302


def test_others_are_not_asked_and_may_set_one_up(cast: Any) -> None:
    # Given a teacher, who does not open concerns: nothing stands in their way
    client = _signed_in("teacher")
    assert client.get("/safeguarding/").status_code == 403  # refused as before, not redirected
    page = client.get("/accounts/mfa/")
    assert page.status_code == 200 and "your role does not need it" in page.content.decode()


def test_staff_find_their_api_tokens_from_sign_in_security_and_pupils_do_not(cast: Any) -> None:
    tokens_url = "/integrations/api-tokens/"
    assert tokens_url in _signed_in("teacher").get("/accounts/mfa/").content.decode()
    pupil_page = _signed_in(cast.pupil.username).get("/accounts/mfa/")
    assert pupil_page.status_code == 200 and tokens_url not in pupil_page.content.decode()


@override_settings(SOCIALGUARD_MFA_REQUIRED=False)
def test_turned_off_nobody_is_asked(cast: Any) -> None:
    assert _signed_in("dsl").get("/safeguarding/").status_code == 200


def test_a_recovery_code_lets_in_once_and_the_person_is_told(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Given a DSL with an app and recovery codes, who has lost the phone
    _enrol(cast.dsl)
    codes = mfa.recovery_codes_generate(user=cast.dsl)
    client = _signed_in("dsl")
    # When they give a recovery code
    with django_capture_on_commit_callbacks(execute=True):
        used = client.post("/accounts/mfa/verify/", {"code": codes[0], "next": "/safeguarding/"})
    # Then they are in, told how many are left, and e-mailed about it
    assert used.status_code == 302 and client.get("/safeguarding/").status_code == 200
    assert mfa.recovery_codes_left(user=cast.dsl) == 9
    assert any("recovery code" in m.subject for m in mail.outbox)
    # And the same code does not work again
    other = _signed_in("dsl")
    assert other.post("/accounts/mfa/verify/", {"code": codes[0]}).status_code == 400


def test_five_wrong_codes_pause_the_second_step(cast: Any) -> None:
    secret = _enrol(cast.dsl)
    client = _signed_in("dsl")
    for _ in range(mfa.WRONG_CODES_LIMIT):
        assert client.post("/accounts/mfa/verify/", {"code": "999999"}).status_code == 400
    method = MfaMethod.objects.get(user=cast.dsl)
    paused = client.post("/accounts/mfa/verify/", {"code": _code_after_last(secret, method)})
    assert paused.status_code == 400 and "Too many wrong codes" in paused.content.decode()
    assert client.get("/safeguarding/").status_code == 302


def test_a_stolen_password_alone_cannot_add_a_step_or_new_codes(cast: Any) -> None:
    # Given a DSL with an app, and someone who has only their password
    _enrol(cast.dsl)
    client = _signed_in("dsl")
    # When they try to add an app, make new recovery codes or remove the app
    adding = client.get("/accounts/mfa/authenticator/")
    codes = client.post("/accounts/mfa/recovery-codes/")
    removing = client.post("/accounts/mfa/remove/", {"method": cast.dsl.mfa_methods.get().pk})
    passkey = client.post(
        "/accounts/mfa/passkeys/new/options/", data="{}", content_type="application/json"
    )
    # Then each is sent to the second step first, and nothing changed
    for response in (adding, codes, removing):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/mfa/verify/")
    assert passkey.status_code == 403
    assert RecoveryCode.objects.filter(user=cast.dsl).count() == 0
    assert MfaMethod.objects.filter(user=cast.dsl).count() == 1


def test_removing_a_step_is_refused_for_someone_elses(cast: Any) -> None:
    _enrol(cast.dsl)
    client = _signed_in("teacher")
    response = client.post("/accounts/mfa/remove/", {"method": cast.dsl.mfa_methods.get().pk})
    assert response.status_code == 302
    assert MfaMethod.objects.filter(user=cast.dsl).count() == 1
    bad = client.post("/accounts/mfa/remove/", {"method": "abc"})
    assert bad.status_code == 400


def test_an_administrator_resets_a_persons_second_step_audited_and_the_person_is_told(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Given a DSL with an app and recovery codes
    _enrol(cast.dsl)
    mfa.recovery_codes_generate(user=cast.dsl)
    mail.outbox.clear()
    # When the administrator resets it
    with django_capture_on_commit_callbacks(execute=True):
        removed = mfa.mfa_reset(user=cast.dsl, by=cast.admin)
    # Then the app and the codes are gone, the reset is audited, and the DSL is told
    assert removed >= 1
    assert not MfaMethod.objects.filter(user=cast.dsl).exists()
    assert not RecoveryCode.objects.filter(user=cast.dsl).exists()
    event = AuditEvent.objects.get(action="accounts.mfa.reset")
    assert event.target_id == str(cast.dsl.pk) and event.actor_id == cast.admin.pk
    assert [m.to for m in mail.outbox] == [[cast.dsl.email]]
    assert "reset" in mail.outbox[0].subject


@pytest.mark.parametrize("who", ["outsider", "head", "dsl"])
def test_only_an_administrator_of_the_organisation_resets(cast: Any, who: str) -> None:
    # Given a DSL with an app, and another organisation's head, the own head, the DSL herself
    _enrol(cast.dsl)
    # When one of them tries to reset it, it is refused and kept
    with pytest.raises(ApplicationError, match="Only an administrator"):
        mfa.mfa_reset(user=cast.dsl, by=getattr(cast, who))
    assert MfaMethod.objects.filter(user=cast.dsl).exists()


def test_the_command_line_resets_for_a_locked_out_administrator(
    cast: Any, capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from socialguard.cli import main

    # Given the only administrator, who lost their phone and recovery codes
    _enrol(cast.admin)
    # When the service's operator resets it from the command line
    with django_capture_on_commit_callbacks(execute=True):
        assert main(["mfa", "reset", "admin"]) == 0
    # Then it is gone, audited as the system, and the administrator was e-mailed
    assert not MfaMethod.objects.filter(user=cast.admin).exists()
    event = AuditEvent.objects.get(action="accounts.mfa.reset")
    assert event.actor_id is None and event.target_id == str(cast.admin.pk)
    assert any(cast.admin.email in m.to for m in mail.outbox)
    assert main(["mfa", "reset", "nobody-here"]) == 1
    assert "Nobody has the username" in capsys.readouterr().err


def test_the_reset_is_an_admin_action(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    # Given the administrator, who passed their own second step
    secret = _enrol(cast.admin)
    _enrol(cast.dsl)
    client = _signed_in("admin")
    method = MfaMethod.objects.get(user=cast.admin)
    client.post("/accounts/mfa/verify/", {"code": _code_after_last(secret, method)})
    # When they choose the reset action for the DSL in the admin
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts/user/",
            {"action": "reset_two_step_sign_in", "_selected_action": [cast.dsl.pk]},
        )
    # Then the DSL's app is gone and they were told
    assert response.status_code == 302
    assert not MfaMethod.objects.filter(user=cast.dsl).exists()
    assert any(cast.dsl.email in m.to for m in mail.outbox)


def test_the_requirement_is_on_by_default_outside_the_test_settings(monkeypatch: Any) -> None:
    # Given no SOCIALGUARD_MFA_REQUIRED in the environment (production and the demo)
    import importlib

    from socialguard.config.settings import base

    monkeypatch.delenv("SOCIALGUARD_MFA_REQUIRED", raising=False)
    try:
        # Then the shared settings require the second step; "0" turns it off
        assert importlib.reload(base).SOCIALGUARD_MFA_REQUIRED is True
        monkeypatch.setenv("SOCIALGUARD_MFA_REQUIRED", "0")
        assert importlib.reload(base).SOCIALGUARD_MFA_REQUIRED is False
    finally:
        monkeypatch.delenv("SOCIALGUARD_MFA_REQUIRED", raising=False)
        importlib.reload(base)
    assert "socialguard.accounts.middleware.MfaRequiredMiddleware" in base.MIDDLEWARE
