from django.contrib.auth import views as auth_views
from django.urls import path

from socialguard.accounts import mfa_views, passwords, sso_views, views
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
    # Two-step sign-in (accounts.mfa): each person's own; nothing of anyone else's is reachable.
    access(path("mfa/", mfa_views.mfa_overview, name="mfa"), allow={EVERYONE}),
    access(path("mfa/authenticator/", mfa_views.mfa_totp_setup, name="mfa_totp"), allow={EVERYONE}),
    access(
        path("mfa/verify/", mfa_views.mfa_verify, name="mfa_verify"),
        allow={EVERYONE},
        # Without a second step set up, the page sends the person to set one up.
        ok=(200, 302),
    ),
    access(
        path("mfa/recovery-codes/", mfa_views.mfa_recovery_codes, name="mfa_recovery_codes"),
        allow={EVERYONE},
        action=True,
    ),
    access(
        path("mfa/remove/", mfa_views.mfa_method_remove, name="mfa_remove"),
        allow={EVERYONE},
        action=True,
    ),
    access(
        path(
            "mfa/passkeys/new/options/",
            mfa_views.passkey_register_options,
            name="passkey_register_options",
        ),
        allow={EVERYONE},
        action=True,
    ),
    access(
        path("mfa/passkeys/new/", mfa_views.passkey_register, name="passkey_register"),
        allow={EVERYONE},
        action=True,
    ),
    access(
        path(
            "mfa/passkeys/sign-in/options/",
            mfa_views.passkey_sign_in_options,
            name="passkey_sign_in_options",
        ),
        allow={EVERYONE},
        action=True,
    ),
    access(
        path("mfa/passkeys/sign-in/", mfa_views.passkey_sign_in, name="passkey_sign_in"),
        allow={EVERYONE},
        action=True,
    ),
    # Single sign-on with the school's identity provider (accounts.sso).
    access(
        path("sso/", sso_views.sso_start, name="sso_start"),
        anonymous=PUBLIC,
        allow={EVERYONE},
    ),
    access(
        path("sso/callback/", sso_views.sso_callback, name="sso_callback"),
        anonymous=PUBLIC,
        allow={EVERYONE},
        # Only the provider's answer to a sign-in started here is accepted; anything else is
        # refused in plain words.
        ok=400,
    ),
    access(
        path("sso/settings/", sso_views.sso_settings, name="sso_settings"),
        allow={Role.ADMINISTRATOR},
    ),
]
