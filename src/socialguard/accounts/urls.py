from django.contrib.auth import views as auth_views
from django.urls import path

from socialguard.accounts import passwords, views
from socialguard.accounts.models import Role
from socialguard.core.access import EVERYONE, PUBLIC, access

app_name = "accounts"
urlpatterns = [
    access(
        path("sign-in/", views.SignInView.as_view(), name="login"),
        anonymous=200,
        allow={EVERYONE},
        ok=302,
    ),
    access(
        path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
        allow={EVERYONE},
        action=True,
    ),
    access(
        path(
            "password/reset/", passwords.PasswordResetRequestView.as_view(), name="password_reset"
        ),
        anonymous=PUBLIC,
        allow={EVERYONE},
    ),
    access(
        path(
            "password/reset/sent/",
            passwords.PasswordResetSentView.as_view(),
            name="password_reset_sent",
        ),
        anonymous=PUBLIC,
        allow={EVERYONE},
    ),
    access(
        path(
            "password/reset/<uidb64>/<token>/",
            passwords.PasswordResetConfirmView.as_view(),
            name="password_reset_confirm",
        ),
        anonymous=PUBLIC,
        allow={EVERYONE},
        objects="values:MQ|not-a-token",
    ),
    access(
        path(
            "password/reset/done/",
            passwords.PasswordResetCompleteView.as_view(),
            name="password_reset_complete",
        ),
        anonymous=PUBLIC,
        allow={EVERYONE},
    ),
    # A.2.3: the head or an existing lead confirms a new safeguarding lead.
    access(
        path("roles/<int:pk>/confirm/", views.role_confirm, name="role_confirm"),
        allow={Role.HEAD_TEACHER},
        may={Role.DSL, Role.DEPUTY_DSL},
        objects="lead_role",
    ),
]
