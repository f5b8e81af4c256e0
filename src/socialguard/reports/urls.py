from django.urls import path

from socialguard.accounts.models import Role
from socialguard.core.access import access
from socialguard.reports import views

app_name = "reports"

urlpatterns = [
    access(
        path("", views.governance, name="governance"),
        allow={Role.HEAD_TEACHER, Role.DSL, Role.GOVERNOR, Role.ADMINISTRATOR},
    ),
]
