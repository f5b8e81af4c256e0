from django.urls import path

from socialguard.accounts.models import Role
from socialguard.core.access import EVERYONE, access
from socialguard.monitoring import views

IT_LEAD = {Role.IT_LEAD}
# 8.1: findings about staff are the IT lead's and the head teacher's; the safeguarding leads
# see those about pupils only (A.2.3).
SEE_ALL = {Role.IT_LEAD, Role.HEAD_TEACHER}
LEADS = {Role.DSL, Role.DEPUTY_DSL}

app_name = "monitoring"
urlpatterns = [
    access(path("", views.overview, name="overview"), allow=SEE_ALL | LEADS),
    access(path("findings/", views.findings, name="findings"), allow=SEE_ALL | LEADS),
    access(
        path("findings/<int:pk>/", views.finding_detail, name="finding"),
        objects="monitoring_finding",
        allow=SEE_ALL,
        may=LEADS,
        refused=404,
    ),
    access(
        path("findings/<int:pk>/act/", views.finding_act, name="finding_act"),
        objects="monitoring_finding",
        may=SEE_ALL | LEADS,
        refused=404,
        action=True,
    ),
    access(path("upload/", views.upload, name="upload"), allow=IT_LEAD),
    access(
        path("runs/<int:pk>/", views.run_detail, name="run"), objects="ingest_run", allow=IT_LEAD
    ),
    access(path("sources/", views.sources, name="sources"), allow=IT_LEAD),
    access(
        path("sources/<int:pk>/", views.source_detail, name="source"),
        objects="log_source",
        allow=IT_LEAD,
    ),
    access(path("categories/", views.categories, name="categories"), allow=IT_LEAD),
    access(path("hours/", views.hours, name="hours"), allow=IT_LEAD),
    access(
        path("charts/", views.charts, name="charts"),
        allow={Role.GOVERNOR, Role.HEAD_TEACHER, Role.IT_LEAD},
    ),
    access(path("notice/", views.notice, name="notice"), allow={EVERYONE}),
    access(path("notice/manage/", views.notice_manage, name="notice_manage"), allow=SEE_ALL),
    access(path("review/", views.review, name="review"), allow=SEE_ALL),
]
