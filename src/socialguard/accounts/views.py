from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods

from socialguard.accounts import selectors, services
from socialguard.accounts.models import User
from socialguard.core.errors import ApplicationError, ErrorCode


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from socialguard.accounts.sso import single_sign_on_any_enabled

        return {**super().get_context_data(**kwargs), "sso": single_sign_on_any_enabled()}


@require_http_methods(["GET", "POST"])
def role_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """A.2.3: an existing safeguarding lead or the head teacher confirms that a new lead may
    open the concerns recorded before their role began. Another organisation's role is not
    found; anyone else in the organisation is refused, with the reason."""
    try:
        assignment = selectors.access_lead_confirmation(user=request.user, pk=pk)
    except ApplicationError as error:
        if error.code == ErrorCode.NOT_FOUND:
            raise Http404(error.message) from error
        return render(request, "accounts/role_confirm.html", {"refusal": error.message}, status=403)
    if request.method == "POST" and assignment.confirmed_at is None:
        assert isinstance(request.user, User)
        try:
            services.lead_history_confirm(assignment=assignment, by=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Confirmed: {assignment.user} now opens every concern, including those "
                "recorded before their role began.",
            )
        return redirect("accounts:role_confirm", pk=assignment.pk)
    assignment.refresh_from_db()
    return render(request, "accounts/role_confirm.html", {"assignment": assignment})
