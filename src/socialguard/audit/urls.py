from django.urls import path

from socialguard.accounts.models import Role
from socialguard.audit import views
from socialguard.core.access import access

app_name = "audit"
urlpatterns = [
    access(
        path("", views.audit_events, name="events"),
        allow={Role.HEAD_TEACHER, Role.DSL, Role.ADMINISTRATOR},
    ),
    access(
        path("export/", views.audit_export, name="export"),
        allow={Role.HEAD_TEACHER, Role.DSL, Role.ADMINISTRATOR},
    ),
]
