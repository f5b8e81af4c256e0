from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from socialguard.accounts.models import School
from socialguard.core.csv_safe import SafeWriter
from socialguard.core.http import query_id, signed_in_user
from socialguard.reports.charts import bar_chart
from socialguard.reports.selectors import (
    MEASURE_BY_KEY,
    MEASURES,
    csv_lines,
    default_period,
    governance_report,
    month_end,
)

CHARTS = ("safeguarding_reports", "dsl_ack_minutes", "breach_reports", "media_enquiries")


def _month(value: str | None) -> date | None:
    try:
        return date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None


@permission_required("reports.view_governance", raise_exception=True)
def governance(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if user.organisation is None:
        raise PermissionDenied("Reports belong to an organisation.")
    today = timezone.localdate()
    since, until = default_period(today)
    errors = []
    chosen_from, chosen_to = _month(request.GET.get("from")), _month(request.GET.get("to"))
    if request.GET.get("from") and chosen_from is None:
        errors.append("'From' must be a month, such as 2026-09.")
    if request.GET.get("to") and chosen_to is None:
        errors.append("'To' must be a month, such as 2026-12.")
    since = chosen_from or since
    until = min(month_end(chosen_to), today) if chosen_to else until
    if since > until:
        errors.append("'From' must come before 'To'.")
        since, until = default_period(today)
    schools = School.objects.filter(organisation=user.organisation).order_by("name")
    school = schools.filter(pk=query_id(request, "school") or 0).first()
    report = governance_report(
        organisation=user.organisation, since=since, until=until, school=school
    )
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="governors-report-{since:%Y-%m}-to-{until:%Y-%m}.csv"'
        )
        writer = SafeWriter(response)
        for line in csv_lines(report):
            writer.writerow(line)
        return response
    charts = [
        bar_chart(
            MEASURE_BY_KEY[key].label + (" (all schools)" if school is None else ""),
            report.series(key),
            MEASURE_BY_KEY[key].unit,
        )
        for key in CHARTS
    ]
    return render(
        request,
        "reports/governance.html",
        {
            "report": report,
            "measures": MEASURES,
            "charts": charts,
            "schools": schools,
            "school": school,
            "errors": errors,
            "from_value": since.strftime("%Y-%m"),
            "to_value": until.strftime("%Y-%m"),
        },
    )
