"""The "Check my post" page. Private by design (``services``): the draft comes back on the
page and nowhere else. ``sensitive_post_parameters`` keeps the draft out of Django's error
reports, should one ever be written while a check runs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from socialguard.accounts.selectors import is_staff_member
from socialguard.community.images import MAX_BYTES
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.http import signed_in_user
from socialguard.postcheck import services
from socialguard.postcheck.checks import DraftCheck
from socialguard.postcheck.forms import PostCheckForm
from socialguard.postcheck.middleware import upload_too_big


@sensitive_post_parameters()
@sensitive_variables()
def check(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not is_staff_member(user):
        raise PermissionDenied("Checking a post is for the school's staff members.")
    result: DraftCheck | None = None
    form = PostCheckForm(request.POST, request.FILES) if request.method == "POST" else None
    if form is not None and upload_too_big(request):
        form.add_error("image", f"The photo is too big: the largest is {MAX_BYTES // 1048576} MB.")
    elif form is not None and form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            result = services.post_check(
                by=user, text=form.cleaned_data["text"], image=upload.read() if upload else None
            )
        except ApplicationError as error:
            if error.code == ErrorCode.FORBIDDEN:
                raise PermissionDenied(error.message) from error
            form.add_error("image" if upload else None, error.message)
    status = 400 if form is not None and form.errors else 200
    context = {"form": form or PostCheckForm(), "result": result}
    return render(request, "postcheck/check.html", context, status=status)
