from django.urls import path

from socialguard.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("report-breach/", views.report_breach, name="report_breach"),
    path("report-breach/sent/", views.report_sent, name="report_sent"),
    path("report-breach/<slug:slug>/", views.report_breach, name="report_breach_for"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/act/", views.case_act, name="case_act"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
    path("access/", views.access, name="access"),
    path("access/<int:pk>/revoke/", views.access_revoke, name="access_revoke"),
    path("media/", views.media_list, name="media_list"),
    path("media/new/", views.media_new, name="media_new"),
    path("media/<int:pk>/", views.media_detail, name="media_detail"),
]
