from django.urls import path

from socialguard.community import views
from socialguard.core.access import EVERYONE, SITE_MEMBER, STAFF, access

app_name = "community"
urlpatterns = [
    access(path("", views.index, name="index"), allow={EVERYONE}),
    access(
        path("<int:pk>/", views.site_home, name="site"), objects="hosted_site", allow={EVERYONE}
    ),
    access(
        path("<int:pk>/contribute/", views.contribute, name="contribute"),
        objects="hosted_site",
        may={SITE_MEMBER, STAFF},
        refused=(302, 403, 404),  # a refusal comes back as a message on the site
        action=True,
    ),
    access(
        path("<int:pk>/join/", views.join, name="join"),
        objects="hosted_site",
        allow={EVERYONE},
        action=True,
    ),
    access(
        path("<int:pk>/mine/", views.mine, name="mine"), objects="hosted_site", allow={EVERYONE}
    ),
    access(
        path("<int:pk>/report/<int:contribution_pk>/", views.report, name="report"),
        objects="contribution",
        may={SITE_MEMBER, STAFF},
        refused=(302, 403, 404),  # a refusal comes back as a message on the site
        action=True,
    ),
    access(
        path("<int:pk>/<str:kind>/", views.document, name="document"),
        objects="site_document",
        allow={EVERYONE},
    ),
    access(
        path("images/<int:pk>/", views.image, name="image"),
        objects="image",
        may={SITE_MEMBER, STAFF},
        refused=404,
    ),
    access(path("logos/<int:pk>.svg", views.logo, name="logo"), objects="school", allow={EVERYONE}),
]
