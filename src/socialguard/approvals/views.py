from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from socialguard.accounts.models import User
from socialguard.accounts.selectors import is_staff_member, staff_members_of
from socialguard.approvals import selectors, services
from socialguard.approvals.forms import DecisionForm
from socialguard.approvals.models import ApprovalRequest
from socialguard.core.errors import ApplicationError


def approval_inbox(request: HttpRequest) -> HttpResponse:
    waiting = selectors.approval_requests_awaiting(request.user)
    mine = (
        ApprovalRequest.objects.filter(submitted_by_id=request.user.pk)
        .prefetch_related("steps")
        .order_by("-created_at")[:50]
    )
    return render(request, "approvals/inbox.html", {"waiting": waiting, "mine": mine})


def approval_detail(request: HttpRequest, pk: int) -> HttpResponse:
    approval = selectors.access_approval_request(user=request.user, pk=pk)
    if approval is None:
        raise Http404("No such request, or it is not your turn to see it yet.")
    step = approval.current_step() if approval.status == ApprovalRequest.Status.PENDING else None
    can_decide = step is not None and request.user in selectors.approvers_for(step)
    form = (
        DecisionForm(request.POST or None, required_method=approval.organisation.approval_signature)
        if can_decide
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        assert isinstance(request.user, User)
        try:
            services.approval_decide(
                request=approval,
                approver=request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                signature_method=form.cleaned_data["signature_method"],
                signature=form.signature(),
            )
            messages.success(
                request, "Your decision is recorded and everyone involved has been told."
            )
            return redirect("approvals:detail", pk=pk)
        except ApplicationError as error:
            messages.error(request, error.message)
    decisions = list(approval.decisions.select_related("step", "approver", "on_behalf_of"))
    context = {
        "approval": approval,
        "steps": approval.steps.all(),
        "decisions": decisions,
        "second_steps": selectors.second_step_decisions(decisions),
        "second": selectors.second_signature(step, request.user)
        if can_decide and step is not None
        else None,
        "form": form,
        "step": step,
        "subject": approval.subject,
    }
    return render(request, "approvals/detail.html", context)


def delegation_new(request: HttpRequest) -> HttpResponse:
    """A.1.5: an approver names a deputy. Approvers are staff members; the page lists staff
    names and positions, so nobody else opens it (GET or POST)."""
    assert isinstance(request.user, User)
    user = request.user
    if user.organisation_id is None or not is_staff_member(user):
        raise PermissionDenied("Only staff members name a deputy.")
    people = (
        staff_members_of(organisation=user.organisation).exclude(pk=user.pk)
        if user.organisation
        else []
    )
    if request.method == "POST":
        try:
            deputy = next(p for p in people if str(p.pk) == request.POST.get("deputy"))
            services.delegation_create(
                delegator=user,
                deputy=deputy,
                starts_on=date.fromisoformat(request.POST.get("starts_on", "")),
                ends_on=date.fromisoformat(request.POST.get("ends_on", "")),
                reason=request.POST.get("reason", "")[:200],
            )
            messages.success(request, f"{deputy} can now sign off on your behalf for those dates.")
            return redirect("approvals:inbox")
        except StopIteration:
            messages.error(request, "Choose a deputy from the list.")
        except ValueError:
            messages.error(request, "Give both dates, like 2026-12-01.")
        except ApplicationError as error:
            messages.error(request, error.message)
    return render(request, "approvals/delegate.html", {"people": people})


# The page that asks for one of the policy's other approvals belongs to the app whose records it
# is about (sites: participation, content, logo, advert, friend); it registers here, so the
# engine's inbox can offer it without importing that app.
RequestPage = Callable[[HttpRequest], HttpResponse]
_REQUEST_PAGES: list[RequestPage] = []


def register_request_page(page: RequestPage) -> RequestPage:
    _REQUEST_PAGES[:] = [page]
    return page


def approval_request_new(request: HttpRequest) -> HttpResponse:
    if not _REQUEST_PAGES:
        raise Http404("Nothing here asks for other approvals.")
    return _REQUEST_PAGES[0](request)
