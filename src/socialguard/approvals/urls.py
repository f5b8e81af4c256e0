from django.urls import path

from socialguard.accounts.models import Role
from socialguard.approvals import views
from socialguard.core.access import EVERYONE, LINE_MANAGER, SITE_OWNER, STAFF, access

app_name = "approvals"
urlpatterns = [
    access(path("", views.approval_inbox, name="inbox"), allow={EVERYONE}),
    access(
        path("<int:pk>/", views.approval_detail, name="detail"),
        objects="approval",
        allow={Role.HEAD_TEACHER, Role.COMMS_MANAGER, Role.ADMINISTRATOR},
        may={LINE_MANAGER, SITE_OWNER},
        refused=404,
    ),
    access(path("delegate/", views.delegation_new, name="delegate"), allow={STAFF}),
    access(path("new/", views.approval_request_new, name="new"), allow={STAFF}, refused=404),
]
