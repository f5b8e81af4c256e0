from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import audit_events_for, audit_export_lines


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _scoped_events(request: HttpRequest) -> tuple[QuerySet[AuditEvent], date | None, date | None]:
    since, until = _date(request.GET.get("from")), _date(request.GET.get("to"))
    events = audit_events_for(
        user=request.user, since=since, until=until, action=request.GET.get("action", "")
    )
    return events, since, until


@permission_required("audit.view_events", raise_exception=True)
def audit_events(request: HttpRequest) -> HttpResponse:
    events, since, until = _scoped_events(request)
    page = Paginator(events.order_by("-at", "-seq"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/events.html",
        {"page": page, "since": since, "until": until, "action": request.GET.get("action", "")},
    )


@permission_required("audit.view_events", raise_exception=True)
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    events, _, _ = _scoped_events(request)
    fmt = "json" if request.GET.get("format") == "json" else "csv"
    response = StreamingHttpResponse(
        audit_export_lines(events=events, fmt=fmt),
        content_type="application/json" if fmt == "json" else "text/csv",
    )
    response["Content-Disposition"] = f'attachment; filename="audit-events.{fmt}"'
    return response
