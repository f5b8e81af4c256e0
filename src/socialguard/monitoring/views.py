"""The monitoring pages (8.1, 8.2, 6.11, 6.13, A.2.3): the IT / monitoring lead uploads logs and
keeps the sources, categories, hours and notice; the IT lead and the head teacher triage staff
findings, the safeguarding leads pupils' too; governors see weekly totals without names.

Views stay thin: the services are in ``configure``, ``triage``, ``notices`` and mon-core's
``services``; who may see a finding is ``selectors.findings_visible_to``."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from socialguard.accounts.models import Organisation, Role, User
from socialguard.accounts.selectors import has_role
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.http import InvalidInput, form_id, signed_in_user
from socialguard.monitoring import configure, notices, selectors, services, triage
from socialguard.monitoring.forms import (
    FIELD_LABELS,
    AliasForm,
    CategoryForm,
    FindingFilterForm,
    HoursForm,
    LeaseImportForm,
    NoticeForm,
    ReviewForm,
    SettingsForm,
    SourceForm,
    TermForm,
    TriageForm,
    UploadForm,
)
from socialguard.monitoring.models import (
    Audience,
    Category,
    DomainCategory,
    FilteringReview,
    FindingStatus,
    IngestRun,
    LogSource,
    TermDate,
    UserAlias,
    WorkingHours,
)
from socialguard.reports.charts import bar_chart

# The upload is read while the request waits (no background task): this keeps a request
# within a worker's time limit on the school's server. Larger logs: `socialguard monitoring
# ingest FILE` on the server, which streams any size.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
CHART_WEEKS = 12


def _organisation(request: HttpRequest) -> tuple[User, Organisation]:
    user = signed_in_user(request)
    if user.organisation is None:
        raise PermissionDenied("Monitoring belongs to an organisation.")
    return user, user.organisation


def _lead(request: HttpRequest) -> tuple[User, Organisation]:
    """The IT / monitoring lead keeps the sources, categories, hours and the notice (8.1)."""
    user, organisation = _organisation(request)
    if not has_role(user, Role.IT_LEAD):
        raise PermissionDenied("This page is for the IT / monitoring lead.")
    return user, organisation


def _viewer(request: HttpRequest) -> tuple[User, Organisation]:
    user, organisation = _organisation(request)
    if not selectors.can_see_monitoring(user, organisation):
        raise PermissionDenied(
            "Monitoring findings are for the IT / monitoring lead, the head teacher and the "
            "safeguarding leads."
        )
    return user, organisation


def _invalid(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A form that did not validate is shown again, with its errors, as a 400."""
    return render(request, template, context, status=400)


# --- Overview and findings ------------------------------------------------------------------


def overview(request: HttpRequest) -> HttpResponse:
    user, organisation = _viewer(request)
    visible = selectors.findings_visible_to(user=user, organisation=organisation)
    notice = notices.notice_current(organisation=organisation)
    is_lead = has_role(user, Role.IT_LEAD)
    sees_staff = has_role(user, Role.IT_LEAD, Role.HEAD_TEACHER)
    context = {
        "open_count": visible.filter(status=FindingStatus.OPEN).count(),
        "by_clause": _count_by_clause(visible),
        "runs": selectors.runs_recent(organisation=organisation, limit=5) if is_lead else [],
        "is_lead": is_lead,
        "sees_staff": sees_staff,
        "notice": notice,
        "not_accepted": notices.people_not_accepted(notice=notice).count() if sees_staff else 0,
        "review": FilteringReview.objects.filter(organisation=organisation).first(),
    }
    return render(request, "monitoring/overview.html", context)


def _count_by_clause(visible: Any) -> list[tuple[str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for clause in visible.filter(status=FindingStatus.OPEN).values_list("clause", flat=True):
        counts[clause] += 1
    return sorted(counts.items())


def findings(request: HttpRequest) -> HttpResponse:
    user, organisation = _viewer(request)
    form = FindingFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        raise InvalidInput("Choose the clause and the status from the lists offered.")
    data = form.cleaned_data if form.is_bound else {}
    rows = selectors.findings_visible_to(user=user, organisation=organisation)
    if data.get("clause"):
        rows = rows.filter(clause=data["clause"])
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    run_id = form_id(request.GET, "run", label="run")
    if run_id is not None:
        rows = rows.filter(run_id=run_id)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request, "monitoring/findings.html", {"form": form, "page": page, "total": rows.count()}
    )


def _finding(request: HttpRequest, pk: int) -> tuple[User, Any]:
    user, organisation = _organisation(request)
    finding = selectors.finding_for(user=user, organisation=organisation, pk=pk)
    if finding is None:
        # Whether a finding about someone exists is itself not everyone's to know.
        raise Http404("No such finding.")
    return user, finding


def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, finding = _finding(request, pk)
    return render(request, "monitoring/finding.html", _finding_context(user, finding))


def _finding_context(user: User, finding: Any, form: TriageForm | None = None) -> dict[str, Any]:
    report_id = finding.details.get(triage.REPORT_KEY)
    confirmed = finding.status == FindingStatus.CONFIRMED
    return {
        "finding": finding,
        "evidence": list(finding.evidence.all()),
        "verifies": selectors.evidence_verifies(finding=finding),
        "form": form or TriageForm(),
        "may_mark": finding.status == FindingStatus.OPEN
        and not (finding.case_id or finding.concern_id),
        "may_case": confirmed
        and not finding.subject_is_pupil
        and finding.subject_id
        and not finding.case_id,
        "is_handler": has_role(user, Role.HEAD_TEACHER),
        "is_lead": has_role(user, Role.DSL, Role.DEPUTY_DSL),
        "referred": report_id,
        "may_concern": confirmed and finding.subject_is_pupil and not finding.concern_id,
        "day_minutes": _day_minutes(finding.details.get("days") or {}),
        "domains": sorted((finding.details.get("domains") or {}).items()),
    }


def _day_minutes(days: dict[str, Any]) -> list[tuple[date | str, Any]]:
    rows: list[tuple[date | str, Any]] = []
    for day, minutes in sorted(days.items()):
        try:
            rows.append((date.fromisoformat(day), minutes))
        except ValueError:
            rows.append((day, minutes))
    return rows


@require_POST
def finding_act(request: HttpRequest, pk: int) -> HttpResponse:
    user, finding = _finding(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "mark":
            form = TriageForm(request.POST)
            if not form.is_valid():
                context = _finding_context(user, finding, form)
                return _invalid(request, "monitoring/finding.html", context)
            triage.finding_mark(
                finding=finding,
                by=user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, "Your decision is recorded.")
        elif action == "case":
            opened = triage.finding_open_case(finding=finding, by=user)
            messages.success(request, _opened_message(opened))
        elif action == "concern":
            concern = triage.finding_open_concern(finding=finding, by=user)
            messages.success(
                request,
                f"Concern {concern.reference} is recorded and the safeguarding leads are told.",
            )
        else:
            raise InvalidInput("Choose what to do with the finding from the buttons offered.")
    except ApplicationError as error:
        if error.code == ErrorCode.NOT_FOUND:
            raise Http404(error.message) from error
        if error.code == ErrorCode.FORBIDDEN:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    return redirect("monitoring:finding", pk=finding.pk)


def _opened_message(opened: Any) -> str:
    from socialguard.cases.models import BreachCase

    if isinstance(opened, BreachCase):
        return f"Breach case {opened.reference} is open, with this finding as its evidence."
    return (
        f"Referred to the head teacher as breach report {opened.reference}: the head opens "
        "the case (9.1)."
    )


# --- Upload and runs ------------------------------------------------------------------------


def upload(request: HttpRequest) -> HttpResponse:
    user, organisation = _lead(request)
    context: dict[str, Any] = {"max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > (
        MAX_UPLOAD_BYTES + 64 * 1024
    ):
        # Refused before the body is read: nothing of it is written anywhere.
        raise InvalidInput(
            f"The file is larger than {context['max_mb']} MB. Read it on the server with "
            "'socialguard monitoring ingest FILE' instead."
        )
    form = UploadForm(request.POST or None, request.FILES or None, organisation=organisation)
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return _invalid(request, "monitoring/upload.html", context)
        source = form.cleaned_data["source"] or services.source_default(organisation=organisation)
        if form.cleaned_data["log_format"]:
            # For this upload only: the source's saved format is not changed.
            source.format = form.cleaned_data["log_format"]
        upload_file = form.cleaned_data["file"]
        try:
            run = services.ingest_file(
                source=source, path=upload_file, by=user, name=upload_file.name
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
            return _invalid(request, "monitoring/upload.html", context)
        finally:
            upload_file.close()  # a temporary file on disk is deleted here
        return redirect("monitoring:run", pk=run.pk)
    context["runs"] = selectors.runs_recent(organisation=organisation, limit=10)
    return render(request, "monitoring/upload.html", context)


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, organisation = _lead(request)
    run = get_object_or_404(
        IngestRun.objects.select_related("source", "started_by"),
        pk=pk,
        source__organisation=organisation,
    )
    visible = selectors.findings_visible_to(user=user, organisation=organisation)
    return render(
        request,
        "monitoring/run.html",
        {"run": run, "findings": visible.filter(run=run)[:50]},
    )


# --- Sources ----------------------------------------------------------------------------------


def _source_initial(source: LogSource) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "name": source.name,
        "log_format": source.format,
        "match_users_by": source.match_users_by,
        "time_format": source.time_format,
        "is_default": source.is_default,
    }
    initial.update({f"map_{k}": v for k, v in (source.column_mapping or {}).items()})
    return initial


def sources(request: HttpRequest) -> HttpResponse:
    user, organisation = _lead(request)
    services.source_default(organisation=organisation)
    form = SourceForm(request.POST or None, initial={"log_format": "squid"})
    if request.method == "POST":
        if form.is_valid():
            created = _source_save(form, organisation, user, None)
            if created is not None:
                messages.success(request, f"Source {created.name} is added.")
                return redirect("monitoring:source", pk=created.pk)
        return _invalid(request, "monitoring/sources.html", _sources_context(organisation, form))
    return render(request, "monitoring/sources.html", _sources_context(organisation, form))


def _sources_context(organisation: Organisation, form: SourceForm) -> dict[str, Any]:
    rows = LogSource.objects.filter(organisation=organisation).order_by("-is_default", "name")
    return {"sources": rows, "form": form}


def _source_save(
    form: SourceForm, organisation: Organisation, user: User, source: LogSource | None
) -> LogSource | None:
    data = form.cleaned_data
    try:
        return configure.source_save(
            organisation=organisation,
            by=user,
            name=data["name"],
            log_format=data["log_format"],
            match_users_by=data["match_users_by"],
            column_mapping=form.mapping(),
            time_format=data["time_format"],
            is_default=data["is_default"],
            source=source,
        )
    except ApplicationError as error:
        form.add_error(None, error.message)
        return None


def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, organisation = _lead(request)
    source = get_object_or_404(LogSource, pk=pk, organisation=organisation)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms: dict[str, Any] = {
        "form": SourceForm(initial=_source_initial(source)),
        "alias_form": AliasForm(organisation=organisation),
        "lease_form": LeaseImportForm(),
    }
    if action:
        done = _source_action(request, action, source, user, organisation, forms)
        if done:
            return redirect("monitoring:source", pk=source.pk)
    context = {
        "source": source,
        **forms,
        "aliases": source.aliases.select_related("user").order_by("proxy_name"),
        "lease_count": source.leases.count(),
        "field_labels": FIELD_LABELS,
    }
    return render(request, "monitoring/source.html", context, status=400 if action else 200)


def _source_action(
    request: HttpRequest,
    action: str,
    source: LogSource,
    user: User,
    organisation: Organisation,
    forms: dict[str, Any],
) -> bool:
    """One change to a source; True when it was made (the page is then shown afresh)."""
    if action == "save":
        form: Any = SourceForm(request.POST)
        forms["form"] = form
        if form.is_valid() and _source_save(form, organisation, user, source) is not None:
            messages.success(request, "The source is saved.")
            return True
        return False
    if action == "alias":
        form = AliasForm(request.POST, organisation=organisation)
        forms["alias_form"] = form
        if form.is_valid():
            try:
                services.alias_set(
                    source=source,
                    proxy_name=form.cleaned_data["proxy_name"].strip(),
                    user=form.cleaned_data["user"],
                    by=user,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
                return False
            messages.success(request, "The user name is linked.")
            return True
        return False
    if action == "alias_delete":
        alias_id = form_id(request.POST, "alias", label="alias")
        alias = get_object_or_404(UserAlias, pk=alias_id or 0, source=source)
        configure.alias_delete(alias=alias, by=user)
        messages.success(request, "The user name is unlinked.")
        return True
    if action == "leases":
        form = LeaseImportForm(request.POST, request.FILES)
        forms["lease_form"] = form
        if form.is_valid():
            try:
                count = services.lease_import(
                    source=source, file=form.cleaned_data["file"], by=user
                )
            except ApplicationError as error:
                form.add_error("file", error.message)
                return False
            messages.success(request, f"{count} address lease{'s' if count != 1 else ''} imported.")
            return True
        return False
    raise InvalidInput("Choose what to change from the buttons offered.")


# --- Categories, hours, terms, threshold ---------------------------------------------------


def categories(request: HttpRequest) -> HttpResponse:
    user, organisation = _lead(request)
    form = CategoryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        remove_id = form_id(request.POST, "remove", label="domain")
        if remove_id is not None:
            row = get_object_or_404(DomainCategory, pk=remove_id, organisation=organisation)
            configure.category_domain_remove(row=row, by=user)
            messages.success(request, f"{row.domain} is removed from your list.")
            return redirect("monitoring:categories")
        if form.is_valid():
            try:
                row = configure.category_domain_set(
                    organisation=organisation,
                    by=user,
                    domain=form.cleaned_data["domain"],
                    category=form.cleaned_data["category"],
                )
            except ApplicationError as error:
                form.add_error("domain", error.message)
            else:
                messages.success(request, f"{row.domain} is now {row.get_category_display()}.")
                return redirect("monitoring:categories")
        status = 400
    context = {"form": form, "groups": selectors.category_groups(organisation=organisation)}
    return render(request, "monitoring/categories.html", context, status=status)


def hours(request: HttpRequest) -> HttpResponse:
    user, organisation = _lead(request)
    setting = services.settings_for(organisation=organisation)
    forms: dict[str, Any] = {
        "hours_form": HoursForm(organisation=organisation),
        "term_form": TermForm(),
        "settings_form": SettingsForm(
            initial={
                "threshold_minutes": setting.weekly_social_minutes_threshold,
                "retention_days": setting.retention_days,
            }
        ),
    }
    if request.method == "POST" and _hours_action(request, user, organisation, setting, forms):
        return redirect("monitoring:hours")
    context = {
        **forms,
        "hours": WorkingHours.objects.filter(organisation=organisation).select_related("user"),
        "terms": TermDate.objects.filter(organisation=organisation),
        "setting": setting,
    }
    return render(
        request, "monitoring/hours.html", context, status=400 if request.method == "POST" else 200
    )


def _hours_action(
    request: HttpRequest,
    user: User,
    organisation: Organisation,
    setting: Any,
    forms: dict[str, Any],
) -> bool:
    action = request.POST.get("action", "")
    try:
        if action == "hours":
            form: Any = HoursForm(request.POST, organisation=organisation)
            forms["hours_form"] = form
            if not form.is_valid():
                return False
            configure.hours_add(
                organisation=organisation,
                by=user,
                weekdays=form.cleaned_data["weekdays"],
                starts=form.cleaned_data["starts"],
                ends=form.cleaned_data["ends"],
                role=form.cleaned_data["role"],
                user=form.cleaned_data["user"],
            )
        elif action == "hours_remove":
            row_id = form_id(request.POST, "row", label="hours")
            row = get_object_or_404(WorkingHours, pk=row_id or 0, organisation=organisation)
            configure.hours_remove(row=row, by=user)
        elif action == "term":
            form = TermForm(request.POST)
            forms["term_form"] = form
            if not form.is_valid():
                return False
            configure.term_add(organisation=organisation, by=user, **form.cleaned_data)
        elif action == "term_remove":
            term_id = form_id(request.POST, "term", label="term")
            term = get_object_or_404(TermDate, pk=term_id or 0, organisation=organisation)
            configure.term_remove(term=term, by=user)
        elif action == "settings":
            form = SettingsForm(request.POST)
            forms["settings_form"] = form
            if not form.is_valid():
                return False
            configure.settings_update(settings=setting, by=user, **form.cleaned_data)
        else:
            raise InvalidInput("Choose what to change from the buttons offered.")
    except ApplicationError as error:
        key = {"hours": "hours_form", "term": "term_form"}.get(action, "settings_form")
        forms[key].add_error(None, error.message)
        return False
    messages.success(request, "Saved.")
    return True


# --- Governors' charts -------------------------------------------------------------------


def charts(request: HttpRequest) -> HttpResponse:
    user, organisation = _organisation(request)
    if not has_role(user, Role.GOVERNOR, Role.HEAD_TEACHER, Role.IT_LEAD):
        raise PermissionDenied("The charts are for the governors and the head teacher.")
    rows = selectors.traffic_by_week(organisation=organisation, weeks=CHART_WEEKS)
    # Every week of the period, with nothing as 0, so each bar is one week.
    this_monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    weeks = [this_monday - timedelta(weeks=n) for n in range(CHART_WEEKS - 1, -1, -1)]
    totals: dict[tuple[str, date], int] = defaultdict(int)
    for r in rows:
        totals[(r["category"], r["week_starts"])] += int(r["hits"])
    by_audience: dict[tuple[str, date], int] = defaultdict(int)
    for r in rows:
        by_audience[(r["audience"], r["week_starts"])] += int(r["hits"])
    shown = [(v, label) for v, label in Category.choices if any(totals[(v, w)] for w in weeks)]
    if not shown:
        weeks = []
    drawn = [_week_chart(label, [(w, totals[(value, w)]) for w in weeks]) for value, label in shown]
    table = [(w, [totals[(value, w)] for value, _ in shown]) for w in weeks]
    audiences = [(w, [by_audience[(a, w)] for a in Audience.values]) for w in weeks]
    context = {
        "charts": drawn,
        "categories": [label for _, label in shown],
        "table": table,
        "audience_labels": Audience.labels,
        "audiences": audiences,
        "weeks": CHART_WEEKS,
    }
    return render(request, "monitoring/charts.html", context)


def _week_chart(title: str, series: list[tuple[date, int]]) -> Any:
    """The reports' bar chart, labelled by week (its bars are labelled by month)."""
    chart = bar_chart(title, list(series), "visits")
    last = len(series) - 1
    bars = tuple(
        dataclasses.replace(
            bar,
            # Every other week is labelled (the latest always), so the labels never overlap.
            label=f"{week:%-d %b}" if (last - n) % 2 == 0 else "",
            title=f"Week of {week:%-d %B %Y}: {value} visits",
        )
        for n, (bar, (week, value)) in enumerate(zip(chart.bars, series, strict=True))
    )
    drawn = dataclasses.replace(chart, bars=bars)
    # Labels centred under their bars (the last one would run off the edge if left-aligned).
    labels = [(round(b.x + b.width / 2, 1), b.label) for b in bars if b.label]
    return {"chart": drawn, "labels": labels}


# --- The 8.2 notice and the DfE review ------------------------------------------------------


def notice(request: HttpRequest) -> HttpResponse:
    user, organisation = _organisation(request)
    current = notices.notice_current(organisation=organisation)
    asked = notices.is_asked(user)
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("core:dashboard")
    # Only a path on this site (never a view name, nor another site).
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = reverse("core:dashboard")
    if request.method == "POST":
        version = form_id(request.POST, "version", label="version")
        if version != current.pk:
            raise InvalidInput(
                "The notice has changed since you opened it: read the new version and accept it."
            )
        try:
            notices.notice_accept(notice=current, by=user)
        except ApplicationError as error:
            raise PermissionDenied(error.message) from error
        messages.success(request, "Thank you: your acceptance is recorded.")
        return HttpResponseRedirect(next_url)
    context = {
        "notice": current,
        "asked": asked,
        "accepted": asked and notices.notice_accepted(notice=current, user=user),
        "next": next_url,
    }
    return render(request, "monitoring/notice.html", context)


def notice_manage(request: HttpRequest) -> HttpResponse:
    user, organisation = _organisation(request)
    if not has_role(user, Role.IT_LEAD, Role.HEAD_TEACHER):
        raise PermissionDenied("The notice is kept by the IT / monitoring lead.")
    current = notices.notice_current(organisation=organisation)
    form = NoticeForm(request.POST or None, initial={"text": current.text})
    status = 200
    if request.method == "POST":
        if not has_role(user, Role.IT_LEAD):
            raise PermissionDenied("Only the IT / monitoring lead publishes a new version.")
        if form.is_valid():
            try:
                new = notices.notice_publish(
                    organisation=organisation, by=user, text=form.cleaned_data["text"]
                )
            except ApplicationError as error:
                form.add_error("text", error.message)
            else:
                messages.success(request, f"Version {new.version} is published: everyone is asked.")
                return redirect("monitoring:notice_manage")
        status = 400
    pending = notices.people_not_accepted(notice=current)
    context = {
        "notice": current,
        "form": form,
        "is_lead": has_role(user, Role.IT_LEAD),
        "pending": pending[:200],
        "pending_count": pending.count(),
        "accepted_count": current.acceptances.count(),
    }
    return render(request, "monitoring/notice_manage.html", context, status=status)


def review(request: HttpRequest) -> HttpResponse:
    user, organisation = _organisation(request)
    if not has_role(user, Role.IT_LEAD, Role.HEAD_TEACHER):
        raise PermissionDenied("The review is recorded by the IT lead and the head teacher.")
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.filtering_review_record(
                    organisation=organisation, by=user, **form.cleaned_data
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "The review is recorded.")
                return redirect("monitoring:review")
        status = 400
    context = {
        "form": form,
        "reviews": FilteringReview.objects.filter(organisation=organisation).select_related(
            "reviewed_by"
        )[:20],
    }
    return render(request, "monitoring/review.html", context, status=status)
