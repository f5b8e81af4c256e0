"""Pages of single sign-on (``accounts.sso``): start, the provider's answer, and the
organisation administrator's settings."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from socialguard.accounts import sso
from socialguard.accounts.models import Role, SingleSignOn
from socialguard.accounts.selectors import has_role
from socialguard.core.errors import ApplicationError
from socialguard.core.http import signed_in_user
from socialguard.core.throttle import client_ip, rate_limit_hit

NEXT_KEY = "sg_sso_next"
STARTS_PER_HOUR = 30


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_not_required
@require_http_methods(["GET", "POST"])
def sso_start(request: HttpRequest) -> HttpResponse:
    """Sign in with the school account: the e-mail address says which school's provider."""
    email = request.POST.get("email", "").strip()[:254]
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    error = ""
    if request.method == "POST":
        if rate_limit_hit(
            scope="sso-start", key=client_ip(request), limit=STARTS_PER_HOUR, window_seconds=3600
        ):
            error = "Too many attempts from this network. Try again in an hour."
        elif (config := sso.single_sign_on_for_email(email=email)) is None:
            error = (
                "Your school does not sign in with a school account here, or that is not a "
                "school e-mail address. Sign in with your username and password instead."
            )
        else:
            try:
                target = sso.sso_start(config=config, request=request, login_hint=email)
            except ApplicationError as failure:
                error = failure.message
            else:
                request.session[NEXT_KEY] = next_url
                return _continue_to(request, target)
    return render(
        request,
        "accounts/sso_start.html",
        {"email": email, "error": error, "next": next_url},
        status=(429 if "Too many" in error else 400) if error else 200,
    )


@login_not_required
@require_GET
def sso_callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code (or an error)."""
    if request.GET.get("error"):
        request.session.pop(sso.SESSION_KEY, None)
        return _failed(request, "Signing in with the school account was cancelled or refused.", 400)
    try:
        user = sso.sso_finish(
            request=request,
            state=request.GET.get("state", "")[:200],
            code=request.GET.get("code", "")[:2000],
        )
    except ApplicationError as error:
        return _failed(request, error.message, 403 if error.code == "forbidden" else 400)
    next_url = _safe_next(request, request.session.pop(NEXT_KEY, "") or "")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


def _continue_to(request: HttpRequest, target: str) -> HttpResponse:
    """Send the browser on to the provider. Not a redirect: the pages' Content-Security-Policy
    (form-action 'self') stops a form's answer from leading to another site, as it should;
    a page that moves on by itself (and offers the link) is a navigation, which it allows."""
    return render(request, "accounts/sso_continue.html", {"target": target})


def _failed(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "accounts/sso_failed.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
def sso_settings(request: HttpRequest) -> HttpResponse:
    """The organisation's administrator sets up its identity provider."""
    user = signed_in_user(request)
    organisation = user.organisation
    if organisation is None or not has_role(user, Role.ADMINISTRATOR):
        return render(
            request,
            "accounts/sso_settings.html",
            {"refusal": "Only your organisation's administrators set up its sign-in."},
            status=403,
        )
    config = sso.single_sign_on_of(organisation=organisation)
    error, values = "", {}
    if request.method == "POST":
        values = {
            k: request.POST.get(k, "")[:300]
            for k in ("provider", "client_id", "tenant", "domain", "issuer")
        }
        try:
            sso.single_sign_on_save(
                organisation=organisation,
                client_secret=request.POST.get("client_secret", "")[:500],
                enabled=request.POST.get("enabled") == "on",
                by=user,
                **values,
            )
        except ApplicationError as failure:
            error = failure.message
        else:
            messages.success(request, "Saved. People can now sign in with their school account.")
            return redirect("accounts:sso_settings")
    return render(
        request,
        "accounts/sso_settings.html",
        {
            "config": config,
            "values": values,
            "error": error,
            "providers": SingleSignOn.Provider.choices,
            "redirect_uri": sso.redirect_uri(request),
        },
        status=400 if error else 200,
    )
