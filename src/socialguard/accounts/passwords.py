"""Forgotten passwords: Django's reset views with our pages, our outbox and our limits.

The request page always answers the same way, whether or not an address belongs to anyone, so
it cannot be used to find out who has an account. The e-mail goes through the notifications
outbox after commit, its link is built from ``SITE_URL`` (never from the Host header a visitor
sent), requests are limited per address and per e-mail, and a completed reset writes one audit
event and lifts any sign-in lockout on the account.
"""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from socialguard.accounts.models import User
from socialguard.audit.services import audit_record
from socialguard.core.throttle import client_ip, rate_limit_hit
from socialguard.notifications.services import email_after_commit

HOUR = 3600
TOO_MANY = (
    "Several password resets have been asked for from here in the last hour. "
    "Please wait an hour and try again, or ask your school's socialguard administrator."
)


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # One address is sent at most a few links an hour, whoever asks for them.
        if rate_limit_hit(
            scope="password-reset-to",
            key=to_email.lower(),
            limit=settings.SOCIALGUARD_PASSWORD_RESETS_PER_HOUR,
            window_seconds=HOUR,
        ):
            return
        user = context["user"]
        email_after_commit(
            recipients=[to_email],
            subject="Reset your socialguard password",
            template=email_template_name,
            context=context,
            organisation_id=user.organisation_id,
            category="password_reset",
        )


@method_decorator(login_not_required, name="dispatch")
class PasswordResetRequestView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_sent")

    def form_valid(self, form: auth_forms.PasswordResetForm) -> HttpResponse:
        if rate_limit_hit(
            scope="password-reset-from",
            key=client_ip(self.request),
            limit=settings.SOCIALGUARD_PASSWORD_RESETS_PER_HOUR,
            window_seconds=HOUR,
        ):
            form.add_error(None, TOO_MANY)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


@transaction.atomic
def password_reset_complete(*, form: auth_forms.SetPasswordForm) -> User:
    """Set the new password and record that it was reset through an e-mailed link."""
    user = form.save()
    audit_record(actor=user, action="accounts.password.reset", target=user)
    return user


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: auth_forms.SetPasswordForm) -> HttpResponse:
        user = password_reset_complete(form=form)
        axes_reset(username=user.get_username())
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return super(auth_views.PasswordResetConfirmView, self).form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
