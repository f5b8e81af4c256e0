from django.urls import path

from socialguard.accounts.models import Role
from socialguard.core.access import ASSIGNEE, EVERYONE, STAFF, access
from socialguard.safeguarding import agency_views, views

app_name = "safeguarding"
urlpatterns = [
    access(path("", views.concern_list, name="list"), allow={Role.DSL, Role.DEPUTY_DSL}),
    access(path("new/", views.concern_new, name="new"), allow={STAFF}),
    access(
        path("received/<str:reference>/", views.receipt, name="receipt"),
        objects="concern_receipt",
        allow={Role.DSL, Role.DEPUTY_DSL},
        may={STAFF},
    ),
    access(
        path("agencies/", agency_views.agency_list, name="agencies"),
        allow={Role.DSL, Role.DEPUTY_DSL},
    ),
    access(path("my-actions/", views.my_actions, name="my_actions"), allow={EVERYONE}),
    access(
        path("my-actions/<int:pk>/done/", views.my_action_done, name="my_action_done"),
        objects="concern_action",
        may={ASSIGNEE},
        refused=404,
        action=True,
    ),
    access(
        path("from-review-item/<int:item_pk>/", views.from_review_item, name="from_review_item"),
        objects="safeguarding_item",
        may={Role.DSL, Role.DEPUTY_DSL},
        action=True,
    ),
    access(
        path("<int:pk>/", views.concern_detail, name="concern"),
        objects="concern",
        allow={Role.DSL, Role.DEPUTY_DSL},
    ),
    access(
        path("<int:pk>/act/", views.concern_act, name="act"),
        objects="concern",
        may={Role.DSL, Role.DEPUTY_DSL},
        action=True,
    ),
    access(
        path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
        objects="concern_evidence",
        allow={Role.DSL, Role.DEPUTY_DSL},
    ),
]
