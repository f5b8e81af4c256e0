from django.urls import path

from socialguard.accounts.models import Role
from socialguard.core.access import EVERYONE, PUBLIC, access
from socialguard.policy import views

app_name = "policy"
urlpatterns = [
    access(path("", views.policy_current, name="current"), anonymous=PUBLIC, allow={EVERYONE}),
    access(
        path("acknowledge/", views.policy_acknowledge, name="acknowledge"),
        allow={EVERYONE},
        action=True,
    ),
    access(
        path("acknowledgements/", views.policy_acknowledgements, name="acknowledgements"),
        allow={Role.HEAD_TEACHER, Role.ADMINISTRATOR},
    ),
    access(
        path("o/<slug:slug>/", views.policy_current, name="for_organisation"),
        objects="organisation",
        anonymous=PUBLIC,
        allow={EVERYONE},
        other_org=200,
    ),
]
