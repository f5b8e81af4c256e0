from django.urls import path

from socialguard.accounts.models import Role
from socialguard.core.access import EVERYONE, PUBLIC, access
from socialguard.policy import views

MANAGERS = {Role.HEAD_TEACHER, Role.ADMINISTRATOR}

app_name = "policy"
urlpatterns = [
    access(path("", views.policy_current, name="current"), anonymous=PUBLIC, allow={EVERYONE}),
    access(
        path("acknowledge/", views.policy_acknowledge, name="acknowledge"),
        allow={EVERYONE},
        action=True,
    ),
    access(path("changes/", views.policy_changes, name="changes"), allow={EVERYONE}),
    access(path("compare/", views.policy_compare, name="compare"), allow={EVERYONE}),
    access(
        path("versions/<int:pk>/", views.policy_version, name="version"),
        objects="policy_version",
        allow={EVERYONE},
    ),
    access(
        path("acknowledgements/", views.policy_acknowledgements, name="acknowledgements"),
        allow=MANAGERS,
    ),
    access(
        path(
            "acknowledgements/remind/",
            views.policy_acknowledgements_remind,
            name="acknowledgements_remind",
        ),
        allow=MANAGERS,
        action=True,
    ),
    access(path("manage/", views.policy_manage, name="manage"), allow=MANAGERS),
    access(path("upload/", views.policy_upload, name="upload"), allow=MANAGERS),
    access(path("review/", views.policy_review_start, name="review_start"), allow=MANAGERS),
    access(
        path("drafts/<int:pk>/", views.policy_draft, name="draft"),
        objects="policy_draft",
        allow=MANAGERS,
        note="also the person a review was given to, for that review's draft (views._draft)",
    ),
    access(
        path("drafts/<int:pk>/clauses/<str:number>/", views.policy_draft_clause, name="clause"),
        objects="policy_draft_clause",
        allow=MANAGERS,
        note="also the person a review was given to, for that review's draft (views._draft)",
    ),
    access(
        path("drafts/<int:pk>/publish/", views.policy_draft_publish, name="publish"),
        objects="policy_draft",
        allow=MANAGERS,
        action=True,
    ),
    access(
        path("drafts/<int:pk>/discard/", views.policy_draft_discard, name="discard"),
        objects="policy_draft",
        allow=MANAGERS,
        action=True,
    ),
    access(
        path("o/<slug:slug>/", views.policy_current, name="for_organisation"),
        objects="organisation",
        anonymous=PUBLIC,
        allow={EVERYONE},
        other_org=200,
    ),
]
