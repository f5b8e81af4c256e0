from django.urls import path

from socialguard.accounts.models import Role
from socialguard.core.access import (
    SITE_ADMINISTRATOR,
    SITE_MODERATOR,
    SITE_OWNER,
    SITE_VETTER,
    access,
)
from socialguard.moderation import reveal_views, views
from socialguard.safeguarding import views as safeguarding_views

app_name = "moderation"
urlpatterns = [
    access(
        path("", views.queue, name="queue"),
        allow={SITE_MODERATOR, SITE_ADMINISTRATOR, SITE_OWNER, SITE_VETTER},
        refused=404,
    ),
    access(
        path("bulk/", views.bulk, name="bulk"),
        may={SITE_MODERATOR, SITE_ADMINISTRATOR, SITE_OWNER, SITE_VETTER},
        refused=302,
        note="A refusal comes back as a message on the queue.",
        action=True,
    ),
    access(
        path("<int:pk>/", views.item, name="item"),
        objects="review_item",
        may={
            SITE_MODERATOR,
            SITE_ADMINISTRATOR,
            SITE_OWNER,
            SITE_VETTER,
            Role.DSL,
            Role.DEPUTY_DSL,
        },
        ok=(200, 302),
        refused=404,
    ),
    access(
        path("<int:pk>/act/", views.act, name="act"),
        objects="review_item",
        may={SITE_MODERATOR, SITE_ADMINISTRATOR, SITE_OWNER, SITE_VETTER},
        refused=302,
        other_org=302,
        note="A refusal comes back as a message on the page before (post, redirect, get).",
        action=True,
    ),
    access(
        path("<int:pk>/reveal/", reveal_views.reveal, name="reveal"),
        objects="review_item",
        may={SITE_MODERATOR, SITE_ADMINISTRATOR, SITE_OWNER, SITE_VETTER},
        refused=404,
        action=True,
    ),
    # The leads' pages for escalated items belong to safeguarding; their addresses stay here.
    access(
        path("safeguarding/", safeguarding_views.escalation_list, name="safeguarding"),
        allow={Role.DSL, Role.DEPUTY_DSL},
        refused=404,
    ),
    access(
        path(
            "safeguarding/<int:pk>/",
            safeguarding_views.escalation_detail,
            name="safeguarding_item",
        ),
        objects="escalation",
        allow={Role.DSL, Role.DEPUTY_DSL},
        refused=404,
    ),
]
