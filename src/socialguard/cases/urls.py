from django.urls import path

from socialguard.accounts.models import Role
from socialguard.cases import views
from socialguard.core.access import CASE_HANDLER, EVERYONE, PUBLIC, STAFF, access

app_name = "cases"
urlpatterns = [
    access(path("", views.inbox, name="inbox"), allow={Role.HEAD_TEACHER, CASE_HANDLER}),
    access(
        path("report-breach/", views.report_breach, name="report_breach"),
        anonymous=PUBLIC,
        allow={EVERYONE},
    ),
    access(
        path("report-breach/sent/", views.report_sent, name="report_sent"),
        anonymous=PUBLIC,
        allow={EVERYONE},
        ok=302,
    ),
    access(
        path("report-breach/<slug:slug>/", views.report_breach, name="report_breach_for"),
        objects="organisation",
        anonymous=PUBLIC,
        allow={EVERYONE},
        other_org=200,
    ),
    access(
        path("reports/<int:pk>/", views.report_detail, name="report"),
        objects="breach_report",
        may={Role.HEAD_TEACHER, CASE_HANDLER},
    ),
    access(
        path("<int:pk>/", views.case_detail, name="case"),
        objects="case",
        allow={Role.HEAD_TEACHER, CASE_HANDLER},
    ),
    access(
        path("<int:pk>/act/", views.case_act, name="case_act"),
        objects="case",
        may={Role.HEAD_TEACHER, CASE_HANDLER},
        action=True,
    ),
    access(
        path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
        objects="case_evidence",
        allow={Role.HEAD_TEACHER, CASE_HANDLER},
    ),
    access(path("access/", views.access, name="access"), allow={Role.HEAD_TEACHER}),
    access(
        path("access/<int:pk>/revoke/", views.access_revoke, name="access_revoke"),
        objects="case_access",
        may={Role.HEAD_TEACHER},
        action=True,
    ),
    access(path("media/", views.media_list, name="media_list"), allow={Role.HEAD_TEACHER}),
    access(path("media/new/", views.media_new, name="media_new"), allow={STAFF}),
    access(
        path("media/<int:pk>/", views.media_detail, name="media_detail"),
        objects="media_enquiry",
        allow={Role.HEAD_TEACHER},
        may={STAFF},
    ),
]
