from django.urls import path

from socialguard.accounts.models import Role
from socialguard.core.access import SITE_ADMINISTRATOR, SITE_OWNER, STAFF, access
from socialguard.sites import views

app_name = "sites"
urlpatterns = [
    access(path("", views.site_register, name="register"), allow={STAFF}),
    access(path("mine/", views.site_mine, name="mine"), allow={STAFF}),
    access(path("absences/", views.absences, name="absences"), allow={STAFF}),
    access(path("new/", views.site_proposal_edit, name="new"), allow={STAFF}),
    access(
        path("<int:pk>/", views.site_detail, name="detail"),
        objects="site",
        allow={STAFF},
        refused=404,
    ),
    access(
        path("<int:pk>/edit/", views.site_proposal_edit, name="edit"),
        objects="site",
        may={SITE_OWNER},
        refused=(403, 404),
    ),
    access(
        path("<int:pk>/submit/", views.site_submit, name="submit"),
        objects="site",
        may={SITE_OWNER},
        refused=(302, 403, 404),  # a refusal comes back as a message on the site's page
        action=True,
    ),
    access(
        path("<int:pk>/documents/", views.site_document_publish, name="publish_document"),
        objects="site",
        may={SITE_OWNER, SITE_ADMINISTRATOR},
        refused=(302, 403, 404),  # a refusal comes back as a message on the site's page
        action=True,
    ),
    access(
        path("<int:pk>/go-live/", views.site_go_live, name="go_live"),
        objects="site",
        may={SITE_OWNER, SITE_ADMINISTRATOR},
        refused=(302, 403, 404),  # a refusal comes back as a message on the site's page
        action=True,
    ),
    access(
        path("<int:pk>/form.pdf", views.site_form_pdf, name="form_pdf"),
        objects="site",
        allow={STAFF},
        refused=404,
    ),
    access(
        path("<int:pk>/evaluate/", views.site_evaluate, name="evaluate"),
        objects="site",
        may={SITE_OWNER, SITE_ADMINISTRATOR},
        refused=404,
    ),
    access(
        path("<int:pk>/close/", views.site_close, name="close"),
        objects="site",
        may={SITE_OWNER, Role.HEAD_TEACHER},
        refused=(302, 403, 404),  # a refusal comes back as a message on the site's page
        action=True,
    ),
    access(
        path("<int:pk>/export.json", views.site_export, name="export"),
        objects="site",
        allow={STAFF},
        refused=404,
    ),
]
