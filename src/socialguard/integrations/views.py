"""Thin pages for the organisation's administrator: import the roster from the MIS (upload,
dry run, apply), save the MIS's column names, register the webhook to the school's safeguarding
system. Everyone else is refused (403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from socialguard.accounts.models import Organisation, User
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.http import InvalidInput, choice, form_id, signed_in_user
from socialguard.integrations import rosterfile, selectors, services, tokens, webhooks
from socialguard.integrations.forms import (
    ApiTokenForm,
    RosterColumnsForm,
    RosterUploadForm,
    WebhookForm,
)
from socialguard.integrations.models import RosterImport, Webhook


def _manager(request: HttpRequest) -> tuple[User, Organisation]:
    user = signed_in_user(request)
    if user.organisation is None or not selectors.may_manage_integrations(user):
        raise PermissionDenied("Only the organisation's administrator imports the roster.")
    return user, user.organisation


def roster(request: HttpRequest) -> HttpResponse:
    user, organisation = _manager(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            roster_import = services.roster_import_create(
                organisation=organisation,
                kind=form.cleaned_data["kind"],
                source=form.cleaned_data["source"],
                data=upload.read(rosterfile.MAX_BYTES + 1),
                filename=upload.name or "",
                school=form.cleaned_data["school"],
                by=user,
            )
        except ApplicationError as error:
            form.add_error("file", error.message)
        else:
            return redirect("integrations:roster_import", pk=roster_import.pk)
    context = {"form": form, "imports": selectors.roster_imports_of(organisation=organisation)}
    return render(request, "integrations/roster.html", context, status=400 if form.errors else 200)


def roster_columns(request: HttpRequest) -> HttpResponse:
    user, organisation = _manager(request)
    kind = choice(
        request.POST.get("kind") or request.GET.get("kind") or rosterfile.PUPILS,
        rosterfile.KINDS,
        label="kind of roster",
    )
    saved = selectors.roster_mapping_of(organisation=organisation, kind=kind)
    form = RosterColumnsForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        initial_columns=saved or rosterfile.PRESETS[rosterfile.SIMS][kind],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.roster_mapping_save(
                organisation=organisation, kind=kind, columns=form.cleaned_data, by=user
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your column names are saved.")
            return redirect("integrations:roster")
    context = {"form": form, "kind": kind, "saved": bool(saved)}
    return render(
        request, "integrations/roster_columns.html", context, status=400 if form.errors else 200
    )


def _import(request: HttpRequest, pk: int) -> tuple[User, RosterImport]:
    user, _ = _manager(request)
    try:
        return user, selectors.access_roster_import(user=user, pk=pk)
    except ApplicationError as error:
        raise Http404(error.message) from error


def roster_import(request: HttpRequest, pk: int) -> HttpResponse:
    _, found = _import(request, pk)
    plan = (
        selectors.roster_plan(roster_import=found) if found.status == found.Status.PREVIEW else None
    )
    return render(request, "integrations/roster_import.html", {"import": found, "plan": plan})


def roster_import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    user, found = _import(request, pk)
    try:
        plan = services.roster_import_apply(roster_import=found, by=user)
    except ApplicationError as error:
        if error.code == ErrorCode.FORBIDDEN:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        counts = plan.counts
        messages.success(
            request,
            f"Applied: {counts['joiners']} joined, {counts['changes']} changed, "
            f"{counts['leavers']} left.",
        )
    return redirect("integrations:roster_import", pk=found.pk)


def webhook(request: HttpRequest) -> HttpResponse:
    """Register the webhook, renew its secret, send a test; the delivery log below."""
    user, organisation = _manager(request)
    found = selectors.webhook_of(organisation=organisation)
    intent = request.POST.get("intent", "") if request.method == "POST" else ""
    initial = {"url": found.url, "enabled": found.enabled} if found else {"enabled": True}
    form = WebhookForm(request.POST if intent == "save" else None, initial=initial)
    secret = ""
    if intent == "save":
        saved, secret = _save(request, form, organisation, user) if form.is_valid() else (None, "")
        if saved is not None and not secret:
            return redirect("integrations:webhook")
        found = saved or found
    elif intent in ("secret", "test"):
        if found is None:
            raise InvalidInput("Register the webhook first.")
        if intent == "secret":
            secret = webhooks.webhook_secret_renew(webhook=found, by=user)
        else:
            webhooks.webhook_test_send(webhook=found, by=user)
            messages.success(request, "A test notice is on its way: see the log below.")
            return redirect("integrations:webhook")
    elif intent:
        raise InvalidInput("The form sent is not one this page offers.")
    context = {
        "form": form,
        "webhook": found,
        "secret": secret,
        "deliveries": selectors.webhook_deliveries(webhook=found) if found else [],
    }
    return render(request, "integrations/webhook.html", context, status=400 if form.errors else 200)


def _save(
    request: HttpRequest, form: WebhookForm, organisation: Organisation, user: User
) -> tuple[Webhook | None, str]:
    try:
        saved, secret = webhooks.webhook_save(
            organisation=organisation,
            url=form.cleaned_data["url"],
            enabled=form.cleaned_data["enabled"],
            by=user,
        )
    except ApplicationError as error:
        form.add_error("url", error.message)
        return None, ""
    if not secret:
        messages.success(request, "The webhook is saved.")
    return saved, secret


def api_tokens(request: HttpRequest) -> HttpResponse:
    """A person's own API tokens: make one (shown once), revoke one."""
    user = signed_in_user(request)
    if not tokens.may_hold_tokens(user):
        raise PermissionDenied("API tokens are for staff members.")
    intent = request.POST.get("intent", "") if request.method == "POST" else ""
    form = ApiTokenForm(request.POST if intent == "create" else None)
    made = ""
    if intent == "create" and form.is_valid():
        try:
            _, made = tokens.api_token_create(
                user=user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
    elif intent == "revoke":
        token_id = form_id(request.POST, "token", label="token")
        if token_id is None:
            raise InvalidInput("Choose the token to revoke.")
        try:
            revoked = tokens.api_token_revoke(user=user, token_id=token_id)
        except ApplicationError as error:
            raise Http404(error.message) from error
        messages.success(request, f"The token “{revoked.name}” no longer works.")
        return redirect("integrations:api_tokens")
    elif intent and intent != "create":
        raise InvalidInput("The form sent is not one this page offers.")
    context = {"form": form, "made": made, "tokens": tokens.api_tokens_of(user=user)}
    return render(
        request, "integrations/api_tokens.html", context, status=400 if form.errors else 200
    )
