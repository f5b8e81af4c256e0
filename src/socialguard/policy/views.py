from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialguard.accounts.models import Organisation
from socialguard.accounts.selectors import organisation_for_public_page
from socialguard.core.errors import ApplicationError
from socialguard.core.http import InvalidInput, query_id, signed_in_user
from socialguard.policy import selectors, services
from socialguard.policy.forms import (
    ClauseForm,
    PolicyUploadForm,
    PublishForm,
    RemindForm,
    ReviewStartForm,
)
from socialguard.policy.models import Clause, PolicyVersion

# Half a term to prepare a review draft, unless the head chooses another date.
REVIEW_TIME = timedelta(weeks=6)


def _may_manage(request: HttpRequest) -> bool:
    return bool(request.user.has_perm("policy.manage"))


def _organisation(request: HttpRequest) -> Organisation:
    organisation = signed_in_user(request).organisation
    if organisation is None:
        raise Http404("Deployment administrators have no organisation; sign in as its head.")
    return organisation


def _version_context(request: HttpRequest, version: PolicyVersion) -> dict[str, Any]:
    return {
        "organisation": version.organisation,
        "version": version,
        "sections": selectors.policy_sections_with_clauses(version=version),
        "may_manage": _may_manage(request),
    }


@login_not_required
def policy_current(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The policy is public, as schools publish theirs; each clause is linkable by its number."""
    organisation = organisation_for_public_page(request.user, slug)
    if organisation is None:
        return render(request, "policy/choose.html", {"organisations": Organisation.objects.all()})
    version = selectors.policy_current(organisation=organisation)
    if version is None:
        return render(
            request,
            "policy/none.html",
            {"organisation": organisation, "may_manage": _may_manage(request)},
        )
    acknowledgement = selectors.policy_acknowledged_by(person=request.user, version=version)
    context = {
        **_version_context(request, version),
        "review_overdue": selectors.policy_review_overdue(version=version),
        "acknowledgement": acknowledgement,
        "can_acknowledge": request.user.has_perm("policy.acknowledge")
        and request.user.organisation_id == organisation.pk,  # type: ignore[union-attr]
        "earlier": len(selectors.policy_versions_published(organisation=organisation)) > 1,
    }
    if context["can_acknowledge"] and acknowledgement is None:
        context["changed_since"], changes = selectors.policy_changes_for(
            person=request.user, version=version
        )
        context["changed_count"] = len(changes)
    return render(request, "policy/policy.html", context)


def policy_version(request: HttpRequest, pk: int) -> HttpResponse:
    """Any published version, current or earlier: decisions link to the one then in force."""
    organisation = _organisation(request)
    version = selectors.policy_version_get(organisation=organisation, pk=pk)
    if version is None:
        raise Http404("No such version of this organisation's policy.")
    context = {
        **_version_context(request, version),
        "replaced_by": selectors.policy_replaced_at(version=version),
        "previous": selectors.policy_previous_of(version=version),
    }
    return render(request, "policy/version.html", context)


def policy_changes(request: HttpRequest) -> HttpResponse:
    """2.1, on a new version: what changed since the version this person acknowledged (or the
    one it replaced), and the acknowledgement itself."""
    organisation = _organisation(request)
    version = selectors.policy_current(organisation=organisation)
    if version is None:
        return redirect("policy:current")
    base, changes = selectors.policy_changes_for(person=request.user, version=version)
    context = {
        "organisation": organisation,
        "version": version,
        "base": base,
        "changes": changes,
        "counts": selectors.policy_diff_counts(changes),
        "acknowledgement": selectors.policy_acknowledged_by(person=request.user, version=version),
        "can_acknowledge": request.user.has_perm("policy.acknowledge"),
    }
    return render(request, "policy/changes.html", context)


def policy_compare(request: HttpRequest) -> HttpResponse:
    """Two versions side by side, clause by clause (``?a=<older>&b=<newer>``)."""
    organisation = _organisation(request)
    drafts = _may_manage(request)
    current = selectors.policy_current(organisation=organisation)
    b_id = query_id(request, "b", label="version") or (current.pk if current else None)
    new = (
        selectors.policy_version_get(organisation=organisation, pk=b_id, drafts=drafts)
        if b_id
        else None
    )
    a_id = query_id(request, "a", label="version")
    if a_id is not None:
        old = selectors.policy_version_get(organisation=organisation, pk=a_id, drafts=drafts)
    else:
        old = selectors.policy_previous_of(version=new) if new else None
    if (a_id is not None and old is None) or (b_id is not None and new is None):
        raise Http404("No such version of this organisation's policy.")
    changes = selectors.policy_diff(old=old, new=new) if old and new and old != new else []
    context = {
        "organisation": organisation,
        "old": old,
        "new": new,
        "changes": changes,
        "counts": selectors.policy_diff_counts(changes),
        "show_same": request.GET.get("all") == "1",
        "versions": selectors.policy_versions_published(organisation=organisation)
        + (selectors.policy_drafts(organisation=organisation) if drafts else []),
    }
    return render(request, "policy/compare.html", context)


@require_POST
def policy_acknowledge(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation  # type: ignore[union-attr]
    version = selectors.policy_current(organisation=organisation) if organisation else None
    if version is None or str(version.pk) != request.POST.get("version"):
        messages.error(request, "The policy has changed since you opened it. Please read it again.")
        return redirect("policy:current")
    try:
        services.policy_acknowledge(person=request.user, version=version)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("policy:current")
    messages.success(request, f"Thank you. You have acknowledged version {version.version}.")
    return redirect("core:dashboard")


@permission_required("policy.view_acknowledgements", raise_exception=True)
def policy_acknowledgements(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    version = selectors.policy_current(organisation=organisation)
    groups = (
        selectors.policy_acknowledgement_status(organisation=organisation, version=version)
        if version
        else []
    )
    outstanding = [p for g in groups for p in g.outstanding]
    return render(
        request,
        "policy/acknowledgements.html",
        {
            "organisation": organisation,
            "version": version,
            "groups": groups,
            "outstanding": len(outstanding),
            "reminded": selectors.policy_last_reminders(people=outstanding),
            "week_ago": timezone.now() - services.REMINDER_INTERVAL,
            "may_remind": request.user.has_perm("policy.manage"),
        },
    )


@require_POST
@permission_required("policy.manage", raise_exception=True)
def policy_acknowledgements_remind(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = RemindForm(request.POST, organisation=organisation)
    if not form.is_valid():
        raise InvalidInput("The school sent is not one of this organisation's schools.")
    try:
        result = services.policy_acknowledgement_remind(
            organisation=organisation,
            by=signed_in_user(request),
            school=form.cleaned_data["school"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("policy:acknowledgements")
    sent, skipped = len(result.sent), len(result.skipped)
    if sent:
        messages.success(request, f"A reminder is on its way to {sent} {_people(sent)}.")
    if skipped:
        messages.info(
            request,
            f"{skipped} {_people(skipped)} had a reminder in the last week and "
            "were not sent another.",
        )
    if not sent and not skipped:
        messages.info(request, "Everyone there has acknowledged the current version.")
    return redirect("policy:acknowledgements")


def _people(n: int) -> str:
    return "person" if n == 1 else "people"


# ---------------------------------------------------------------------------------------------
# The policy's managers (head teacher, administrators): drafts, review, publishing


@permission_required("policy.manage", raise_exception=True)
def policy_manage(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    current = selectors.policy_current(organisation=organisation)
    context = {
        "organisation": organisation,
        "current": current,
        "review_overdue": selectors.policy_review_overdue(version=current),
        "review": selectors.policy_review_open(organisation=organisation),
        "drafts": selectors.policy_drafts(organisation=organisation),
        "published": selectors.policy_versions_published(organisation=organisation),
    }
    return render(request, "policy/manage.html", context)


@permission_required("policy.manage", raise_exception=True)
def policy_upload(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = PolicyUploadForm(request.POST, request.FILES) if request.method == "POST" else None
    if form is not None and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            data = upload.read(services.MAX_UPLOAD_BYTES + 1)  # held in memory, never saved
            parsed, sha = services.policy_upload_parse(name=upload.name, data=data)
            draft = services.policy_draft_create(
                organisation=organisation,
                parsed=parsed,
                source_name=upload.name,
                source_sha256=sha,
                by=signed_in_user(request),
            )
        except ApplicationError as error:
            form.add_error("document", error.message)
        else:
            messages.success(
                request,
                f"Read {len(parsed.clauses)} clauses from {upload.name} as the "
                f"{draft.label}. Check them, correct any, then publish it.",
            )
            return redirect("policy:draft", pk=draft.pk)
    status = 400 if form is not None else 200
    return render(
        request, "policy/upload.html", {"form": form or PolicyUploadForm()}, status=status
    )


@permission_required("policy.manage", raise_exception=True)
def policy_review_start(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    current = selectors.policy_current(organisation=organisation)
    review = selectors.policy_review_open(organisation=organisation)
    if review is not None:
        messages.info(request, f"A review is already under way ({review.label}).")
        return redirect("policy:draft", pk=review.pk)
    form = ReviewStartForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        initial={"due_on": timezone.localdate() + REVIEW_TIME},
    )
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.policy_review_start(
                organisation=organisation,
                by=signed_in_user(request),
                assignee=form.cleaned_data["assignee"],
                due_on=form.cleaned_data["due_on"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            assignee = form.cleaned_data["assignee"]
            messages.success(
                request,
                f"The review has started: {assignee.get_full_name() or assignee} has been "
                f"asked to prepare {draft.label} by {draft.review_due_on:%-d %B %Y}.",
            )
            return redirect("policy:draft", pk=draft.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "policy/review_start.html",
        {"form": form, "current": current, "organisation": organisation},
        status=status,
    )


def _draft(request: HttpRequest, pk: int, *, assignee_may: bool = False) -> PolicyVersion:
    """A draft of the signed-in person's organisation, for its managers; with
    ``assignee_may``, also for the person a review was given to (they prepare it)."""
    user = signed_in_user(request)
    manager = _may_manage(request)
    if not manager and not assignee_may:
        raise PermissionDenied("Only the head teacher and administrators manage the policy.")
    organisation = _organisation(request)
    draft = selectors.policy_version_get(organisation=organisation, pk=pk, drafts=True)
    if draft is None or not draft.is_draft:
        raise Http404("No such draft: it may have been published or discarded.")
    if not manager and draft.review_assignee_id != user.pk:
        raise PermissionDenied("Only the head teacher and administrators manage the policy.")
    return draft


def _publish_initial(draft: PolicyVersion) -> dict[str, Any]:
    today = timezone.localdate()
    approved_on = draft.approved_on if draft.approved_on and draft.approved_on <= today else today
    review = draft.next_review_on
    if review is None or review <= max(approved_on, today):
        review = services.policy_default_review_date(approved_on)
    return {
        "label": draft.version,
        "approved_on": approved_on,
        "approved_by": draft.approved_by or services.DEFAULT_APPROVER,
        "next_review_on": review,
    }


def _draft_page(
    request: HttpRequest, draft: PolicyVersion, form: PublishForm, status: int = 200
) -> HttpResponse:
    base = selectors.policy_previous_of(version=draft)
    changes = selectors.policy_diff(old=base, new=draft) if base else []
    context = {
        **_version_context(request, draft),
        "draft": draft,
        "base": base,
        "counts": selectors.policy_diff_counts(changes),
        "changed": {c.number: c.kind for c in changes if c.kind != "same"},
        "form": form,
    }
    return render(request, "policy/draft.html", context, status=status)


def policy_draft(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk, assignee_may=True)
    return _draft_page(request, draft, PublishForm(initial=_publish_initial(draft)))


@require_POST
@permission_required("policy.manage", raise_exception=True)
def policy_draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            version = services.policy_version_publish(
                version=draft, by=signed_in_user(request), **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Version {version.version} is now the current policy. Staff have been asked "
                "to read what changed and acknowledge it.",
            )
            return redirect("policy:manage")
    return _draft_page(request, draft, form, status=400)


@require_POST
@permission_required("policy.manage", raise_exception=True)
def policy_draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    services.policy_draft_discard(version=draft, by=signed_in_user(request))
    messages.success(request, f"The {draft.label} was discarded.")
    return redirect("policy:manage")


def policy_draft_clause(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    draft = _draft(request, pk, assignee_may=True)
    clause = Clause.objects.filter(version=draft, number=number).select_related("section").first()
    if clause is None:
        raise Http404("This draft has no clause with that number.")
    initial = {"text": clause.text, "obligation": clause.obligation}
    form = ClauseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_draft_clause_update(
                clause=clause, by=signed_in_user(request), **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Clause {clause.number} corrected.")
            return redirect(f"{reverse('policy:draft', args=[draft.pk])}#{clause.number}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "policy/clause_edit.html",
        {"draft": draft, "clause": clause, "form": form},
        status=status,
    )
