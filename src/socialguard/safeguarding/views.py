from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialguard.accounts.models import User
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.http import signed_in_user
from socialguard.moderation.models import ReviewItem
from socialguard.moderation.services import safeguarding_label
from socialguard.safeguarding import selectors, services
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
from socialguard.safeguarding.models import Concern, ConcernAction, ConcernEvidence, Referral
from socialguard.safeguarding.permissions import ACTION_LABELS, actions_for


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
    rows = [(c, [safeguarding_label(k) for k in c.categories]) for c in concerns]
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
        "referral_form": ReferralForm(prefix="referral", initial={"made_on": timezone.localdate()}),
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
        "categories": [safeguarding_label(k) for k in concern.categories],
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
    data = _valid(ReferralForm(request.POST, prefix="referral"))
    referral = services.concern_referral_record(
        concern=concern,
        by=by,
        agency=str(data["agency"]),
        made_on=data["made_on"],  # type: ignore[arg-type]
        reference=str(data["reference"]),
        note=str(data["note"]),
    )
    return f"Referral to {referral.get_agency_display()} recorded."


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
    by = signed_in_user(request)
    item = get_object_or_404(ReviewItem, pk=item_pk, organisation_id=by.organisation_id)
    form = FromReviewItemForm(request.POST)
    account = str(form.cleaned_data["account"]) if form.is_valid() else ""
    existed = Concern.objects.filter(review_item=item).exists()
    try:
        concern = services.concern_from_review_item(by=by, item=item, account=account)
    except ApplicationError as error:
        if error.code == ErrorCode.FORBIDDEN:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
        return redirect("moderation:safeguarding_item", pk=item.pk)
    if existed:
        messages.info(request, f"This item is already recorded as concern {concern.reference}.")
    else:
        messages.success(request, f"Recorded as concern {concern.reference}.")
    return redirect("safeguarding:concern", pk=concern.pk)
