"""Two-step sign-in (MFA): an authenticator app (TOTP), passkeys (WebAuthn) and recovery codes.

Safeguarding leads and deputies, head teachers and administrators (the people whose sessions are
"sensitive", ``accounts.middleware``) must pass a second step before they open a concern, a case
or the admin; everyone else may set one up. ``SOCIALGUARD_MFA_REQUIRED`` turns the requirement
off (the test settings do, see there); ``MfaRequiredMiddleware`` enforces it.

Reads (``mfa_*_of``, ``needs_mfa``) and writes (``totp_confirm``, ``mfa_verify``,
``mfa_method_remove``, ``recovery_codes_generate``, ``mfa_reset``, ``passkey_*``) live here
together because they share the secrets and the session's "passed the second step" mark.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from typing import Any

import pyotp
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from socialguard.accounts.models import MfaMethod, RecoveryCode, Role, User
from socialguard.accounts.secrets import decrypt, encrypt
from socialguard.accounts.selectors import has_role
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit

# The session's mark that this sign-in passed the second step (cleared at every sign-in).
VERIFIED = "sg_mfa_verified_at"
# The authenticator-app secret being set up, kept in the session until a code confirms it.
PENDING_TOTP = "sg_mfa_pending_totp"
PASSKEY_CHALLENGE = "sg_mfa_passkey_challenge"
ISSUER = "socialguard"
RECOVERY_CODES = 10
# Five wrong codes in a quarter of an hour pause the second step for that person: a six-digit
# code cannot be guessed at that rate.
WRONG_CODES_LIMIT = 5
WRONG_CODES_WINDOW = 15 * 60
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def needs_mfa(user: Any) -> bool:
    """Whether this person must pass a second step before opening a concern, a case or the
    admin: safeguarding leads and deputies, head teachers, administrators and anyone with the
    admin."""
    from socialguard.accounts.middleware import SENSITIVE_ROLES

    if not getattr(settings, "SOCIALGUARD_MFA_REQUIRED", True):
        return False
    return bool(
        getattr(user, "is_staff", False)
        or getattr(user, "is_superuser", False)
        or has_role(user, *SENSITIVE_ROLES)
    )


def mfa_methods_of(*, user: User) -> list[MfaMethod]:
    return list(MfaMethod.objects.filter(user=user, confirmed_at__isnull=False))


def recovery_codes_left(*, user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def session_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(VERIFIED))


def session_mark_verified(request: HttpRequest) -> None:
    # A new session key as well: whoever held the old one does not inherit the second step.
    request.session.cycle_key()
    request.session[VERIFIED] = time.time()


def _tell(user: User, subject: str, what: str) -> None:
    email_after_commit(
        recipients=[user],
        subject=subject,
        template="accounts/email/mfa_changed.txt",
        context={"person": user, "what": what},
        organisation_id=user.organisation_id,
        category="accounts.mfa",
    )


# --- The authenticator app (TOTP) ------------------------------------------------------------


def totp_new_secret() -> str:
    return pyotp.random_base32()


def totp_provisioning_uri(*, user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=ISSUER)


def _step_matching(secret: str, code: str, *, after: int | None) -> int | None:
    """The 30-second step whose code is ``code`` (this one, or one either side for a slow
    phone), if it is later than ``after``: a code is accepted once."""
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    for step in (now, now - 1, now + 1):
        if (after is None or step > after) and secrets.compare_digest(
            totp.generate_otp(step), code
        ):
            return step
    return None


def _clean_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())[:40]


@transaction.atomic
def totp_confirm(*, user: User, secret: str, code: str, name: str = "") -> MfaMethod:
    """Add an authenticator app once the person typed a code it shows."""
    step = _step_matching(secret, _clean_code(code), after=None)
    if step is None:
        raise ApplicationError(
            "That code did not match. Type the six digits your app shows now, without spaces.",
            code=ErrorCode.INVALID,
        )
    method = MfaMethod.objects.create(
        user=user,
        kind=MfaMethod.Kind.TOTP,
        name=name.strip()[:80] or "Authenticator app",
        secret=encrypt(secret),
        confirmed_at=timezone.now(),
        last_step=step,
    )
    audit_record(actor=user, action="accounts.mfa.add", target=user, details={"kind": method.kind})
    _tell(user, "A second step was added to your sign-in", f"an {method.get_kind_display()}")
    return method


def mfa_verify(*, user: User, code: str) -> str:
    """Check a code from an authenticator app or a recovery code; returns which was used."""
    # Wrong codes are counted outside the transaction: a refusal rolls it back, and the count
    # lives in the database (the ratelimit cache) with it.
    wrong = caches[settings.SOCIALGUARD_RATELIMIT_CACHE]
    wrong_key = f"mfa-wrong:{user.pk}"
    if (wrong.get(wrong_key) or 0) >= WRONG_CODES_LIMIT:
        raise ApplicationError(
            "Too many wrong codes. Wait 15 minutes, then try again.", code=ErrorCode.FORBIDDEN
        )
    used = _code_use(user=user, code=_clean_code(code))
    if used is None:
        wrong.add(wrong_key, 0, timeout=WRONG_CODES_WINDOW)
        wrong.incr(wrong_key)
        raise ApplicationError(
            "That code did not match. Type the six digits your app shows now, or one of your "
            "recovery codes.",
            code=ErrorCode.INVALID,
        )
    return used


@transaction.atomic
def _code_use(*, user: User, code: str) -> str | None:
    for method in MfaMethod.objects.select_for_update().filter(
        user=user, kind=MfaMethod.Kind.TOTP, confirmed_at__isnull=False
    ):
        step = _step_matching(decrypt(method.secret), code, after=method.last_step)
        if step is not None:
            method.last_step, method.last_used_at = step, timezone.now()
            method.save(update_fields=["last_step", "last_used_at", "updated_at"])
            audit_record(
                actor=user, action="accounts.mfa.verify", target=user, details={"kind": method.kind}
            )
            return str(MfaMethod.Kind.TOTP)
    recovery = (
        RecoveryCode.objects.select_for_update()
        .filter(user=user, code_hash=_hash(code), used_at__isnull=True)
        .first()
    )
    if recovery is None:
        return None
    recovery.used_at = timezone.now()
    recovery.save(update_fields=["used_at"])
    audit_record(
        actor=user,
        action="accounts.mfa.recovery_code",
        target=user,
        details={"left": recovery_codes_left(user=user)},
    )
    _tell(user, "A recovery code was used to sign in", "a recovery code (now used up)")
    return "recovery_code"


# --- Recovery codes ---------------------------------------------------------------------------


def _hash(code: str) -> str:
    # Codes are 10 random letters and digits (about 49 bits): a plain hash is enough.
    return hashlib.sha256(f"socialguard-recovery:{code}".encode()).hexdigest()


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """New recovery codes (the old ones stop working); shown once, only their hashes kept."""
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_hash(c)) for c in codes)
    audit_record(
        actor=user, action="accounts.mfa.recovery_codes", target=user, details={"count": len(codes)}
    )
    return [f"{c[:5]}-{c[5:]}" for c in codes]


# --- Removing and resetting -------------------------------------------------------------------


@transaction.atomic
def mfa_method_remove(*, user: User, method_id: int) -> None:
    method = MfaMethod.objects.filter(user=user, pk=method_id).first()
    if method is None:
        raise ApplicationError("That sign-in step is not one of yours.", code=ErrorCode.NOT_FOUND)
    kind = method.get_kind_display()
    method.delete()
    audit_record(actor=user, action="accounts.mfa.remove", target=user, details={"kind": kind})
    _tell(user, "A second step was removed from your sign-in", f"an {kind}")


@transaction.atomic
def mfa_reset(*, user: User, by: User | None) -> int:
    """An administrator clears a person's second steps and recovery codes (a lost phone); the
    person sets one up again at their next sign-in and is told by e-mail. ``by`` is None for
    the deployment's command line (``socialguard mfa reset``), for the organisation whose only
    administrator is the one locked out."""
    if by is not None and not by.is_superuser:
        same_organisation = by.organisation_id is not None and (
            by.organisation_id == user.organisation_id
        )
        if user.is_superuser or not same_organisation or not has_role(by, Role.ADMINISTRATOR):
            raise ApplicationError(
                "Only an administrator of the person's organisation may reset their two-step "
                "sign-in.",
                code=ErrorCode.FORBIDDEN,
            )
    removed, _ = MfaMethod.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_record(
        actor=by, action="accounts.mfa.reset", target=user, details={"methods_removed": removed}
    )
    who = (by.get_full_name() or by.get_username()) if by else "the service's operator"
    _tell(user, "Your two-step sign-in was reset", f"{who} reset your two-step sign-in")
    return removed


# --- Passkeys (WebAuthn) ----------------------------------------------------------------------


def relying_party(request: HttpRequest) -> tuple[str, str]:
    """The passkey's site (host name) and origin, from the address the browser used; the host
    was already checked against ALLOWED_HOSTS."""
    host = request.get_host()
    origin = f"{request.scheme}://{host}"
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return hostname.strip("[]"), origin


def passkey_registration_options(*, user: User, request: HttpRequest) -> str:
    rp_id, _ = relying_party(request)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name="socialguard",
        user_id=str(user.pk).encode(),
        user_name=user.get_username(),
        user_display_name=str(user),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(m.credential_id))
            for m in MfaMethod.objects.filter(user=user, kind=MfaMethod.Kind.PASSKEY)
        ],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    request.session[PASSKEY_CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def _challenge(request: HttpRequest) -> bytes:
    challenge = request.session.pop(PASSKEY_CHALLENGE, "")
    if not challenge:
        raise ApplicationError("The passkey request has expired. Please try again.")
    return base64url_to_bytes(challenge)


@transaction.atomic
def passkey_add(*, user: User, request: HttpRequest, credential: str, name: str = "") -> MfaMethod:
    rp_id, origin = relying_party(request)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=_challenge(request),
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as error:
        raise ApplicationError(f"The passkey could not be added: {error}") from None
    method = MfaMethod.objects.create(
        user=user,
        kind=MfaMethod.Kind.PASSKEY,
        name=name.strip()[:80] or "Passkey",
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        confirmed_at=timezone.now(),
    )
    audit_record(actor=user, action="accounts.mfa.add", target=user, details={"kind": method.kind})
    _tell(user, "A second step was added to your sign-in", "a passkey")
    return method


def passkey_authentication_options(*, user: User, request: HttpRequest) -> str:
    rp_id, _ = relying_party(request)
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(m.credential_id))
            for m in MfaMethod.objects.filter(user=user, kind=MfaMethod.Kind.PASSKEY)
        ],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[PASSKEY_CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


@transaction.atomic
def passkey_verify(*, user: User, request: HttpRequest, credential: str) -> MfaMethod:
    rp_id, origin = relying_party(request)
    challenge = _challenge(request)
    try:
        credential_id = str(json.loads(credential).get("id", ""))
    except (ValueError, AttributeError):
        credential_id = ""
    method = (
        MfaMethod.objects.select_for_update()
        .filter(user=user, kind=MfaMethod.Kind.PASSKEY, credential_id=credential_id)
        .first()
    )
    if method is None:
        raise ApplicationError("That passkey is not one of yours here.", code=ErrorCode.INVALID)
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=bytes(method.public_key),
            credential_current_sign_count=method.sign_count,
        )
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as error:
        raise ApplicationError(f"The passkey was not accepted: {error}") from None
    method.sign_count, method.last_used_at = verified.new_sign_count, timezone.now()
    method.save(update_fields=["sign_count", "last_used_at", "updated_at"])
    audit_record(
        actor=user, action="accounts.mfa.verify", target=user, details={"kind": method.kind}
    )
    return method
