from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialguard.accounts.models import User
from socialguard.accounts.selectors import organisation_for_public_page
from socialguard.cases import forms, media, selectors, services
from socialguard.cases.evidence import evidence_verify
from socialguard.cases.models import CaseAccess, CaseEvidence
from socialguard.cases.permissions import (
    ACTION_LABELS,
    can_handle_media,
    can_log_media_enquiry,
    can_manage_access,
    can_open_inbox,
    can_respond_to_enquiry,
    can_see_case,
    case_actions_for,
    case_is_head_matter,
    handler_for,
    report_actions_for,
)
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.http import signed_in_user
from socialguard.core.throttle import client_ip, rate_limit_hit

SENT_KEY = "cases_report_sent"


def _raise_for(error: ApplicationError) -> NoReturn:
    if error.code == ErrorCode.NOT_FOUND:
        raise Http404(error.message)
    raise PermissionDenied(error.message)


def _fetch(fetch: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return fetch(**kwargs)
    except ApplicationError as error:
        _raise_for(error)


# --- Public breach report (9.4) -----------------------------------------------------------


TOO_MANY_REPORTS = (
    "Several reports have been sent from here in the last hour. Please wait an hour and send "
    "it again, or tell the school directly; nothing has been lost from the form below."
)


def _too_many_reports(request: HttpRequest) -> bool:
    """Each report e-mails the head teacher: an address may send a few an hour, not a flood."""
    return rate_limit_hit(
        scope="breach-report",
        key=client_ip(request),
        limit=settings.SOCIALGUARD_PUBLIC_REPORTS_PER_HOUR,
        window_seconds=3600,
    )


@login_not_required
def report_breach(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Anyone, signed in or not, reports a suspected breach of the policy (9.1, 9.4)."""
    organisation = organisation_for_public_page(request.user, slug)
    if organisation is None:
        # Which organisations use this deployment is nobody's business but theirs: a visitor
        # follows the link their school publishes (on its policy page, its website).
        return render(request, "cases/report_choose.html")
    form = forms.BreachReportForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid() and _too_many_reports(request):
        form.add_error(None, TOO_MANY_REPORTS)
        context = {"form": form, "organisation": organisation}
        return render(request, "cases/report_form.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.breach_report_submit(
                organisation=organisation,
                reporter_name=data["reporter_name"],
                reporter_email=data["reporter_email"],
                reporter_relationship=data["reporter_relationship"],
                what_happened=data["what_happened"],
                when=data["when"],
                person_concerned_name=data["person_concerned_name"],
                about_head_teacher=data["about_head_teacher"],
                clause_number=data["clause_number"],
                school=data["school"],
                reporter=request.user if request.user.is_authenticated else None,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            # The code is shown once, from the session: it never appears in a URL or a log.
            request.session[SENT_KEY] = {
                "reference": report.reference,
                "emailed": bool(report.reporter_email),
                "organisation": organisation.name,
            }
            return redirect("cases:report_sent")
    return render(request, "cases/report_form.html", {"form": form, "organisation": organisation})


@login_not_required
def report_sent(request: HttpRequest) -> HttpResponse:
    sent = request.session.pop(SENT_KEY, None)
    if not sent:
        return redirect("cases:report_breach")
    return render(request, "cases/report_sent.html", {"sent": sent})


# --- Case handlers -----------------------------------------------------------------------


NOT_A_HANDLER = "Breach cases are for the head teacher and whom they name, or the governors."


def _handler(request: HttpRequest) -> Any:
    """Anyone who may handle some matter; each record is checked again when fetched."""
    handler = handler_for(request.user)
    if not handler.handles_any:
        raise PermissionDenied(NOT_A_HANDLER)
    return handler


def inbox(request: HttpRequest) -> HttpResponse:
    handler = _handler(request)
    if not can_open_inbox(handler):
        raise PermissionDenied(NOT_A_HANDLER)
    return render(
        request,
        "cases/inbox.html",
        {
            "reports": selectors.reports_to_triage(handler=handler),
            "stages": selectors.cases_by_stage(handler=handler),
            "triaged": selectors.reports_triaged(handler=handler),
            "closed": selectors.cases_for(handler=handler, open_only=False).filter(stage="closed")[
                :20
            ],
            "can_manage_access": can_manage_access(request.user),
        },
    )


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    handler = _handler(request)
    report = _fetch(selectors.access_report, handler=handler, pk=pk)
    by = signed_in_user(request)
    organisation = report.organisation
    action = request.POST.get("action", "")
    triage = forms.TriageForm(
        request.POST if action == "open_case" else None,
        organisation=organisation,
        by=by,
        initial={"school": report.school, "clauses": [report.clause_number]},
    )
    close = forms.CloseReportForm(request.POST if action == "not_a_breach" else None)
    if request.method == "POST":
        if action not in report_actions_for(report, handler):
            messages.error(request, "This report has already been triaged.")
            return redirect("cases:report", pk=pk)
        try:
            if action == "open_case" and triage.is_valid():
                data = triage.cleaned_data
                case = services.breach_report_triage(
                    report=report,
                    by=by,
                    staff_member=data["staff_member"],
                    clauses=data["clauses"],
                    summary=data["summary"],
                    school=data["school"],
                )
                if not can_see_case(case, handler):
                    # A case about a head teacher, opened by a head: it is the governors' now.
                    messages.success(
                        request,
                        f"Case {case.reference} opened. It is about a head teacher, so the "
                        "governors handle it and it is no longer shown to you.",
                    )
                    return redirect("cases:inbox")
                messages.success(request, f"Case {case.reference} opened.")
                return redirect("cases:case", pk=case.pk)
            if action == "not_a_breach" and close.is_valid():
                services.breach_report_close(
                    report=report, by=by, reason=close.cleaned_data["reason"]
                )
                messages.success(request, "Report closed as not a breach.")
                return redirect("cases:inbox")
        except ApplicationError as error:
            messages.error(request, error.message)
    return render(
        request,
        "cases/report_detail.html",
        {
            "report": report,
            "actions": report_actions_for(report, handler),
            "triage": triage,
            "close": close,
            "clause_text": selectors.clause_texts(
                organisation=organisation, numbers=[report.clause_number]
            ).get(report.clause_number, ""),
        },
    )


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    handler = _handler(request)
    case = _fetch(selectors.access_case, handler=handler, pk=pk)
    evidence = list(case.evidence.select_related("added_by"))
    appeal = getattr(case, "appeal", None)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "about_head": case_is_head_matter(case),
            "appeal": appeal,
            "actions": case_actions_for(case, handler),
            "labels": ACTION_LABELS,
            "evidence": [(e, evidence_verify(e)) for e in evidence],
            "entries": case.entries.select_related("author"),
            "clauses": selectors.clause_texts(organisation=case.organisation, numbers=case.clauses),
            "own_outcome": appeal is not None
            and not appeal.decided_by_id
            and case.outcome_decided_by_id == request.user.pk,
            # Several forms on one page: distinct ids keep every label tied to its field.
            "forms": {
                "note": forms.NoteForm(auto_id="note_%s"),
                "evidence": forms.EvidenceForm(auto_id="evidence_%s"),
                "stage": forms.StageForm(auto_id="stage_%s"),
                "outcome": forms.OutcomeForm(auto_id="outcome_%s"),
                "appeal": forms.AppealForm(auto_id="appeal_%s"),
                "decision": forms.AppealDecisionForm(auto_id="decision_%s"),
                "close": forms.CloseCaseForm(auto_id="close_%s"),
            },
        },
    )


CASE_FORMS: dict[str, type[Any]] = {
    "add_note": forms.NoteForm,
    "add_evidence": forms.EvidenceForm,
    "move_to_hearing": forms.StageForm,
    "record_outcome": forms.OutcomeForm,
    "file_appeal": forms.AppealForm,
    "decide_appeal": forms.AppealDecisionForm,
    "close": forms.CloseCaseForm,
}


def _perform(action: str, case: Any, by: User, data: dict[str, Any]) -> str:
    if action == "add_note":
        services.case_note_add(case=case, by=by, body=data["body"])
        return "Note added."
    if action == "add_evidence":
        evidence = services.case_evidence_add(
            case=case,
            by=by,
            source_type=data["source_type"],
            description=data["description"],
            source_id=data["source_id"],
            upload=data["file"],
        )
        return f"Evidence added (sha256 {evidence.sha256[:12]}…)."
    if action == "move_to_hearing":
        services.case_stage_move(case=case, by=by, to="hearing", note=data["note"])
        return "Moved to the hearing stage."
    if action == "record_outcome":
        services.case_outcome_record(
            case=case, by=by, outcome=data["outcome"], reason=data["reason"]
        )
        return "Outcome recorded."
    if action == "file_appeal":
        services.case_appeal_file(case=case, by=by, text=data["text"])
        return "Appeal recorded. Someone other than the person who decided the outcome decides it."
    if action == "decide_appeal":
        services.case_appeal_decide(
            case=case,
            by=by,
            decision=data["decision"],
            reason=data["reason"],
            varied_outcome=data["varied_outcome"],
        )
        return "Appeal decided; the case is closed."
    services.case_close(case=case, by=by, note=data["note"])
    return "Case closed."


@require_POST
def case_act(request: HttpRequest, pk: int) -> HttpResponse:
    handler = _handler(request)
    case = _fetch(selectors.access_case, handler=handler, pk=pk)
    action = request.POST.get("action", "")
    if action not in CASE_FORMS:
        raise Http404("No such action.")
    form = CASE_FORMS[action](request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label + ': ' if label else ''}{' '.join(errors)}")
        return redirect("cases:case", pk=pk)
    try:
        messages.success(
            request, _perform(action, case, signed_in_user(request), form.cleaned_data)
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("cases:case", pk=pk)


def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    handler = _handler(request)
    case = _fetch(selectors.access_case, handler=handler, pk=pk)
    evidence = get_object_or_404(
        CaseEvidence, pk=evidence_pk, case=case, source_type=CaseEvidence.Source.UPLOAD
    )
    handle = evidence.file.storage.open(evidence.file.name, "rb")
    return FileResponse(handle, as_attachment=True, filename=evidence.file_name or "evidence")


# --- Named people ------------------------------------------------------------------------


def access(request: HttpRequest) -> HttpResponse:
    if not can_manage_access(request.user):
        raise PermissionDenied("Only the head teacher names case handlers.")
    by = signed_in_user(request)
    assert by.organisation is not None
    current = selectors.case_access_list(organisation_id=by.organisation.pk)
    active = [a.user_id for a in current if a.revoked_at is None]
    form = forms.AccessForm(
        request.POST or None, organisation=by.organisation, exclude=[by.pk, *active]
    )
    if request.method == "POST" and form.is_valid():
        try:
            granted = services.case_access_grant(user=form.cleaned_data["user"], by=by)
            messages.success(request, f"{granted.user} can now handle breach cases.")
            return redirect("cases:access")
        except ApplicationError as error:
            messages.error(request, error.message)
    return render(request, "cases/access.html", {"form": form, "grants": current})


@require_POST
def access_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_manage_access(request.user):
        raise PermissionDenied("Only the head teacher names case handlers.")
    by = signed_in_user(request)
    grant = CaseAccess.objects.filter(pk=pk, organisation=by.organisation).first()
    if grant is None:
        raise Http404("No such grant.")
    try:
        services.case_access_revoke(access=grant, by=by)
        messages.success(request, f"{grant.user} no longer handles breach cases.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("cases:access")


# --- Media enquiries (A.3.7) -------------------------------------------------------------


def media_new(request: HttpRequest) -> HttpResponse:
    if not can_log_media_enquiry(request.user):
        raise PermissionDenied("Media enquiries are logged by staff members.")
    by = signed_in_user(request)
    assert by.organisation is not None
    form = forms.MediaEnquiryForm(request.POST or None, organisation=by.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enquiry = media.media_enquiry_log(
                by=by,
                enquirer_name=data["enquirer_name"],
                outlet=data["outlet"],
                contact=data["contact"],
                about=data["about"],
                deadline=data["deadline"],
                site=data["site"],
                contribution=data["contribution"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("cases:media_detail", pk=enquiry.pk)
    return render(request, "cases/media_form.html", {"form": form})


def media_detail(request: HttpRequest, pk: int) -> HttpResponse:
    by = signed_in_user(request)
    enquiry = _fetch(selectors.access_enquiry, user=by, pk=pk)
    assert by.organisation is not None
    can_respond = can_respond_to_enquiry(enquiry, by)
    form = forms.MediaResponseForm(
        request.POST if request.method == "POST" else None, organisation=by.organisation
    )
    if request.method == "POST":
        if not can_respond:
            raise PermissionDenied("Only the head teacher records the response.")
        if form.is_valid():
            try:
                media.media_enquiry_respond(
                    enquiry=enquiry,
                    by=by,
                    response=form.cleaned_data["response"],
                    responded_at=form.cleaned_data["responded_at"],
                    responded_by=form.cleaned_data["responded_by"],
                )
                messages.success(request, "Response recorded; the enquiry is closed.")
                return redirect("cases:media_detail", pk=pk)
            except ApplicationError as error:
                form.add_error(None, error.message)
    now = timezone.now()
    return render(
        request,
        "cases/media_detail.html",
        {
            "enquiry": enquiry,
            "form": form,
            "can_respond": can_respond,
            "is_logger": enquiry.logged_by_id == by.pk,
            "is_head": can_handle_media(by),
            "a37": media.a37_text(enquiry.organisation_id),
            "time_left": selectors.time_left(enquiry.deadline, now),
            "urgency": selectors.enquiry_urgency(enquiry, now),
        },
    )


def media_list(request: HttpRequest) -> HttpResponse:
    if not can_handle_media(request.user):
        raise PermissionDenied("Media enquiries are for the head teacher.")
    now = timezone.now()
    enquiries = selectors.media_enquiries_for(user=request.user)[:200]
    return render(
        request,
        "cases/media_list.html",
        {
            "rows": [
                (e, selectors.time_left(e.deadline, now), selectors.enquiry_urgency(e, now))
                for e in enquiries
            ]
        },
    )
