"""Pages of the two-step sign-in: setting one up, passing it, recovery codes (``accounts.mfa``)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from socialguard.accounts import mfa
from socialguard.accounts.models import MfaMethod
from socialguard.accounts.selectors import is_staff_member
from socialguard.core.errors import ApplicationError
from socialguard.core.http import form_id, signed_in_user

MAX_CREDENTIAL = 20_000  # a passkey's answer is a few kilobytes; anything larger is refused


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _unverified(request: HttpRequest) -> HttpResponse | None:
    """Whoever has a second step must pass it before changing their steps: a stolen password
    alone must not add an app, a passkey or fresh recovery codes."""
    user = signed_in_user(request)
    if mfa.session_verified(request) or not mfa.mfa_methods_of(user=user):
        return None
    if request.content_type == "application/json":  # the passkey calls
        return JsonResponse(
            {"code": "forbidden", "message": "Pass your second step first.", "detail": None},
            status=403,
        )
    messages.info(request, "Confirm it is you with your second step first.")
    return redirect(f"{_url('accounts:mfa_verify')}?next={_url('accounts:mfa')}")


@require_http_methods(["GET"])
def mfa_overview(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "accounts/mfa.html",
        {
            "methods": mfa.mfa_methods_of(user=user),
            "codes_left": mfa.recovery_codes_left(user=user),
            "required": mfa.needs_mfa(user),
            "next": _next(request),
            # Staff reach their API tokens (integrations) from here; pupils and families do not.
            "offers_api_tokens": is_staff_member(user) and not user.has_left,
        },
    )


@require_http_methods(["GET", "POST"])
def mfa_totp_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code (or type the key), then type what it shows."""
    user = signed_in_user(request)
    if (refused := _unverified(request)) is not None:
        return refused
    secret = request.session.get(mfa.PENDING_TOTP) or mfa.totp_new_secret()
    request.session[mfa.PENDING_TOTP] = secret
    error = ""
    if request.method == "POST":
        try:
            mfa.totp_confirm(
                user=user,
                secret=secret,
                code=request.POST.get("code", ""),
                name=request.POST.get("name", ""),
            )
        except ApplicationError as failure:
            error = failure.message
        else:
            request.session.pop(mfa.PENDING_TOTP, None)
            mfa.session_mark_verified(request)
            if mfa.recovery_codes_left(user=user) == 0:
                return _show_codes(request, mfa.recovery_codes_generate(user=user))
            messages.success(request, "Your authenticator app is set up.")
            return redirect(_next(request) or "accounts:mfa")
    uri = mfa.totp_provisioning_uri(user=user, secret=secret)
    return render(
        request,
        "accounts/mfa_totp.html",
        {
            "qr": segno.make(uri, error="m").svg_inline(scale=4, title="Code to scan"),
            "key": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "error": error,
            "next": _next(request),
        },
        status=400 if error else 200,
    )


def _show_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    return render(request, "accounts/mfa_codes.html", {"codes": codes, "next": _next(request)})


@require_POST
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if (refused := _unverified(request)) is not None:
        return refused
    if not mfa.mfa_methods_of(user=user):
        messages.error(request, "Set up an authenticator app or a passkey first.")
        return redirect("accounts:mfa")
    return _show_codes(request, mfa.recovery_codes_generate(user=user))


@require_POST
def mfa_method_remove(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if (refused := _unverified(request)) is not None:
        return refused
    method_id = form_id(request.POST, "method", label="sign-in step")
    try:
        if method_id is None:
            raise ApplicationError("Choose the sign-in step to remove.")
        mfa.mfa_method_remove(user=user, method_id=method_id)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Removed.")
    return redirect("accounts:mfa")


@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step itself, once per sign-in: a code, a recovery code or a passkey."""
    user = signed_in_user(request)
    methods = mfa.mfa_methods_of(user=user)
    if not methods:
        return redirect(f"{_url('accounts:mfa')}?{request.GET.urlencode()}")
    error = ""
    if request.method == "POST":
        try:
            used = mfa.mfa_verify(user=user, code=request.POST.get("code", ""))
        except ApplicationError as failure:
            error = failure.message
        else:
            mfa.session_mark_verified(request)
            if used == "recovery_code":
                messages.warning(
                    request,
                    f"You used a recovery code; {mfa.recovery_codes_left(user=user)} are left. "
                    "Make new ones from your sign-in settings if you are running short.",
                )
            return redirect(_next(request) or "core:dashboard")
    return render(
        request,
        "accounts/mfa_verify.html",
        {
            "error": error,
            "next": _next(request),
            "has_totp": any(m.kind == MfaMethod.Kind.TOTP for m in methods),
            "has_passkey": any(m.kind == MfaMethod.Kind.PASSKEY for m in methods),
        },
        status=400 if error else 200,
    )


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


# --- Passkeys: the browser's WebAuthn calls (static/js/passkeys.js) ------------------------------


def _credential(request: HttpRequest) -> str:
    body = request.body.decode("utf-8", "replace") if len(request.body) <= MAX_CREDENTIAL else ""
    if not body:
        raise ApplicationError("The passkey's answer was empty or too large.")
    return body


def _json_error(error: ApplicationError) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=400)


@require_POST
def passkey_register_options(request: HttpRequest) -> HttpResponse:
    if (refused := _unverified(request)) is not None:
        return refused
    options = mfa.passkey_registration_options(user=signed_in_user(request), request=request)
    return HttpResponse(options, content_type="application/json")


@require_POST
def passkey_register(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if (refused := _unverified(request)) is not None:
        return refused
    try:
        mfa.passkey_add(
            user=user,
            request=request,
            credential=_credential(request),
            name=request.GET.get("name", ""),
        )
    except ApplicationError as error:
        return _json_error(error)
    mfa.session_mark_verified(request)
    messages.success(request, "Your passkey is added.")
    return JsonResponse({"next": _next(request) or _url("accounts:mfa")})


@require_POST
def passkey_sign_in_options(request: HttpRequest) -> HttpResponse:
    options = mfa.passkey_authentication_options(user=signed_in_user(request), request=request)
    return HttpResponse(options, content_type="application/json")


@require_POST
def passkey_sign_in(request: HttpRequest) -> HttpResponse:
    try:
        mfa.passkey_verify(
            user=signed_in_user(request), request=request, credential=_credential(request)
        )
    except ApplicationError as error:
        return _json_error(error)
    mfa.session_mark_verified(request)
    return JsonResponse({"next": _next(request) or _url("core:dashboard")})
