from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialguard.accounts.models import User
from socialguard.core import evidence as frozen
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.http import signed_in_user
from socialguard.safeguarding import escalations, selectors, services
from socialguard.safeguarding.forms import (
    ActionDoneForm,
    ActionForm,
    CloseForm,
    ConcernForm,
    EntryForm,
    EvidenceForm,
    FromReviewItemForm,
    HeadAccessForm,
    OutcomeForm,
    ReferralForm,
    ReopenForm,
)
from socialguard.safeguarding.models import (
    Concern,
    ConcernAction,
    ConcernEvidence,
    Escalation,
    Referral,
)
from socialguard.safeguarding.permissions import ACTION_LABELS, actions_for, is_safeguarding_lead


def _refuse(error: ApplicationError) -> Exception:
    if error.code == ErrorCode.NOT_FOUND:
        return Http404(error.message)
    return PermissionDenied(error.message)


def _concern(request: HttpRequest, pk: int) -> Concern:
    try:
        return selectors.access_concern(user=request.user, pk=pk)
    except ApplicationError as error:
        raise _refuse(error) from error


@permission_required("safeguarding.view_concerns", raise_exception=True)
def concern_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Concern.Status.values:
        status = ""
    concerns = selectors.concern_list_for_dsl(user=request.user, status=status)
    rows = [(c, [services.category_label(k) for k in c.categories]) for c in concerns]
    return render(
        request,
        "safeguarding/list.html",
        {"rows": rows, "status": status, "statuses": Concern.Status.choices},
    )


@permission_required("safeguarding.report_concern", raise_exception=True)
def concern_new(request: HttpRequest) -> HttpResponse:
    by = signed_in_user(request)
    form = ConcernForm(request.POST or None, request.FILES or None, reporter=by)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            concern = services.concern_record(
                by=by,
                pupils=list(data["pupils"]),
                unlisted_pupils=[data["unlisted"]] if data["unlisted"] else [],
                occurred_at=data["occurred_at"],
                location=data["location"],
                categories=data["categories"],
                account=data["account"],
                child_words=data["child_words"],
                upload=data["upload"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("safeguarding:receipt", reference=concern.reference)
    return render(request, "safeguarding/new.html", {"form": form})


def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        concern = selectors.access_receipt(user=request.user, reference=reference)
    except ApplicationError as error:
        raise _refuse(error) from error
    return render(request, "safeguarding/receipt.html", {"concern": concern})


def my_actions(request: HttpRequest) -> HttpResponse:
    actions = selectors.actions_assigned_to(user=signed_in_user(request))
    return render(
        request,
        "safeguarding/my_actions.html",
        {"actions": actions, "today": timezone.localdate()},
    )


@require_POST
def my_action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(selectors.actions_assigned_to(user=signed_in_user(request)), pk=pk)
    try:
        services.concern_action_complete(action=action, by=signed_in_user(request))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Marked done. The safeguarding lead can see it in the record.")
    return redirect("safeguarding:my_actions")


def _forms(concern: Concern) -> dict[str, forms.Form]:
    return {
        "entry_form": EntryForm(prefix="entry"),
        "action_form": ActionForm(prefix="action", organisation=concern.organisation),
        "referral_form": ReferralForm(
            prefix="referral",
            initial={"made_on": timezone.localdate()},
            organisation=concern.organisation,
        ),
        "evidence_form": EvidenceForm(prefix="evidence"),
        "close_form": CloseForm(prefix="close"),
        "reopen_form": ReopenForm(prefix="reopen"),
        "head_form": HeadAccessForm(prefix="head"),
    }


def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _concern(request, pk)
    by = signed_in_user(request)
    services.concern_viewed(concern=concern, by=by)
    context = {
        "concern": concern,
        "categories": [services.category_label(k) for k in concern.categories],
        "actions": actions_for(by, concern),
        **selectors.record_view(concern),
        **_forms(concern),
    }
    return render(request, "safeguarding/concern.html", context)


def _valid(form: forms.Form) -> dict[str, object]:
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else ""
        raise ApplicationError(f"{label}: {errors[0]}" if label else str(errors[0]))
    return form.cleaned_data


Handler = Callable[[HttpRequest, Concern, User], str]


def _add_entry(request: HttpRequest, concern: Concern, by: User) -> str:
    data = _valid(EntryForm(request.POST, prefix="entry"))
    services.concern_entry_add(
        concern=concern, by=by, kind=str(data["kind"]), body=str(data["body"])
    )
    return "Entry added to the chronology."


def _assign_action(request: HttpRequest, concern: Concern, by: User) -> str:
    data = _valid(ActionForm(request.POST, prefix="action", organisation=concern.organisation))
    services.concern_action_assign(
        concern=concern,
        by=by,
        description=str(data["description"]),
        assignee=data["assignee"],  # type: ignore[arg-type]
        due_on=data["due_on"],  # type: ignore[arg-type]
    )
    return "Action assigned."


def _complete_action(request: HttpRequest, concern: Concern, by: User) -> str:
    data = _valid(ActionDoneForm(request.POST, prefix="done"))
    action = get_object_or_404(ConcernAction, pk=data["concern_action"], concern=concern)
    services.concern_action_complete(action=action, by=by)
    return "Action marked done."


def _record_referral(request: HttpRequest, concern: Concern, by: User) -> str:
    data = _valid(ReferralForm(request.POST, prefix="referral", organisation=concern.organisation))
    referral = services.concern_referral_record(
        concern=concern,
        by=by,
        agency=str(data["agency"]),
        made_on=data["made_on"],  # type: ignore[arg-type]
        reference=str(data["reference"]),
        note=str(data["note"]),
    )
    return f"Referral to {referral.agency_name} recorded."


def _record_outcome(request: HttpRequest, concern: Concern, by: User) -> str:
    data = _valid(OutcomeForm(request.POST, prefix="outcome"))
    referral = get_object_or_404(Referral, pk=data["referral"], concern=concern)
    services.concern_referral_outcome(referral=referral, by=by, outcome=str(data["outcome"]))
    return "Outcome recorded."


def _add_evidence(request: HttpRequest, concern: Concern, by: User) -> str:
    data = _valid(EvidenceForm(request.POST, request.FILES, prefix="evidence"))
    evidence = services.concern_evidence_add(
        concern=concern,
        by=by,
        upload=data["upload"],  # type: ignore[arg-type]
        description=str(data["description"]),
    )
    return f"File added (sha256 {evidence.sha256[:12]}…)."


def _close(request: HttpRequest, concern: Concern, by: User) -> str:
    data = _valid(CloseForm(request.POST, prefix="close"))
    services.concern_close(concern=concern, by=by, outcome=str(data["outcome"]))
    return "Concern closed."


def _reopen(request: HttpRequest, concern: Concern, by: User) -> str:
    data = _valid(ReopenForm(request.POST, prefix="reopen"))
    services.concern_reopen(concern=concern, by=by, reason=str(data["reason"]))
    return "Concern reopened."


def _head_access(allowed: bool) -> Handler:
    def handler(request: HttpRequest, concern: Concern, by: User) -> str:
        data = _valid(HeadAccessForm(request.POST, prefix="head"))
        services.concern_head_access_set(
            concern=concern, by=by, allowed=allowed, reason=str(data["reason"])
        )
        return "Shared with the head teacher." if allowed else "No longer shared."

    return handler


HANDLERS: dict[str, Handler] = {
    "add_entry": _add_entry,
    "assign_action": _assign_action,
    "complete_action": _complete_action,
    "record_referral": _record_referral,
    "record_outcome": _record_outcome,
    "add_evidence": _add_evidence,
    "close": _close,
    "reopen": _reopen,
    "grant_head": _head_access(True),
    "revoke_head": _head_access(False),
}


@require_POST
def concern_act(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _concern(request, pk)
    by = signed_in_user(request)
    action = request.POST.get("action", "")
    if action not in HANDLERS or action not in actions_for(by, concern):
        raise PermissionDenied(f"You cannot {ACTION_LABELS.get(action, 'do that').lower()} here.")
    try:
        messages.success(request, HANDLERS[action](request, concern, by))
    except ApplicationError as error:
        if error.code == ErrorCode.FORBIDDEN:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    return redirect("safeguarding:concern", pk=concern.pk)


def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    concern = _concern(request, pk)
    evidence = get_object_or_404(ConcernEvidence, pk=evidence_pk, concern=concern)
    if not evidence.file:
        raise Http404("No file.")
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.file_name or f"{concern.reference}-evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def from_review_item(request: HttpRequest, item_pk: int) -> HttpResponse:
    """Record an escalated item as a concern (the URL keeps its old name; ``item_pk`` is the
    escalation's number)."""
    by = signed_in_user(request)
    if not is_safeguarding_lead(by):
        raise PermissionDenied("Only the safeguarding leads record a concern from an item.")
    escalation = selectors.access_escalation(user=by, pk=item_pk)
    if escalation is None:
        raise Http404("No such item.")
    form = FromReviewItemForm(request.POST)
    account = str(form.cleaned_data["account"]) if form.is_valid() else ""
    existed = Concern.objects.filter(escalation=escalation).exists()
    try:
        concern = escalations.concern_from_escalation(by=by, escalation=escalation, account=account)
    except ApplicationError as error:
        if error.code == ErrorCode.FORBIDDEN:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
        return redirect("moderation:safeguarding_item", pk=escalation.pk)
    if existed:
        messages.info(request, f"This item is already recorded as concern {concern.reference}.")
    else:
        messages.success(request, f"Recorded as concern {concern.reference}.")
    return redirect("safeguarding:concern", pk=concern.pk)


def escalation_list(request: HttpRequest) -> HttpResponse:
    """The leads' list of escalated posts (served at /moderation/safeguarding/)."""
    user = request.user
    if not is_safeguarding_lead(user):
        raise Http404("Safeguarding items are for the safeguarding leads.")
    waiting = selectors.escalations_for_lead(user=user)
    recorded = (
        selectors.escalations_for_lead(user=user, open_only=False)
        .filter(status=Escalation.Status.RECORDED)
        .select_related("concern")
        .order_by("-escalated_at")[:20]
    )
    handled = (
        selectors.escalations_for_lead(user=user, open_only=False)
        .filter(status=Escalation.Status.RETURNED)
        .order_by("-escalated_at")[:20]
    )
    label = escalations.category_label
    return render(
        request,
        "safeguarding/escalation_list.html",
        {
            "items": [(e, label(e.category)) for e in waiting],
            "recorded": [(e, label(e.category)) for e in recorded],
            "handled": handled,
        },
    )


def _image_src(escalation: Escalation) -> tuple[str, bool]:
    """The leads' own copy of the image, inline (the page is theirs alone; no URL to share)."""
    if not escalation.image:
        return "", False
    try:
        with escalation.image.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        return "", False
    encoded = base64.b64encode(data).decode()
    content_type = escalation.image_content_type or "application/octet-stream"
    return f"data:{content_type};base64,{encoded}", frozen.bytes_sha256(data) == (
        escalation.image_sha256
    )


def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One escalated item for the leads: frozen evidence, its image, acknowledge or return it
    (served at /moderation/safeguarding/<pk>/)."""
    found = selectors.access_escalation(user=request.user, pk=pk)
    if found is None:
        raise Http404("No such item.")
    if request.method == "POST":
        return _escalation_act(request, found)
    actions = []
    if found.with_leads:
        actions = ([] if found.acknowledged_at else ["acknowledge"]) + ["return"]
    image_src, image_ok = _image_src(found)
    findings = [
        {**f, "label": escalations.category_label(str(f.get("category", "")))}
        for f in found.findings
    ]
    return render(
        request,
        "safeguarding/escalation.html",
        {
            "escalation": found,
            "category": escalations.category_label(found.category),
            "evidence_ok": frozen.verify(found.evidence, found.sha256),
            "written_at": _when(found.evidence.get("written_at")),
            "frozen_at": _when(found.evidence.get("frozen_at")),
            "findings": findings,
            "image_src": image_src,
            "image_ok": image_ok,
            "actions": actions,
            "concern": Concern.objects.filter(escalation=found).first(),
        },
    )


def _escalation_act(request: HttpRequest, found: Escalation) -> HttpResponse:
    by = signed_in_user(request)
    action = request.POST.get("action", "")
    try:
        if action == "acknowledge":
            escalations.escalation_acknowledge(escalation=found, by=by)
            messages.success(request, "Acknowledged: the cover DSL will not be called.")
        elif action == "return":
            escalations.escalation_return(
                escalation=found, by=by, reason=request.POST.get("reason", "")
            )
            messages.success(request, "Returned to the moderators. It stays hidden.")
            return redirect("moderation:safeguarding")
        else:
            return HttpResponseBadRequest("Choose acknowledge or return.")
    except ApplicationError as error:
        if error.code == ErrorCode.FORBIDDEN:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    return redirect("moderation:safeguarding_item", pk=found.pk)


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
