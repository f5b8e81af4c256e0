"""Thin pages over lexicon's services and selectors. A refusal is 404 (need to know: a teacher
does not learn that the leads keep a list); what a person typed wrongly comes back on the same
page with status 400 and a plain message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from socialguard.accounts.selectors import is_staff_member
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.http import query_id, signed_in_user
from socialguard.lexicon import selectors, services, tryout
from socialguard.lexicon.forms import (
    ConfirmForm,
    ExampleForm,
    ExampleTryForm,
    PhraseForm,
    TryForm,
    WatchedWordForm,
)
from socialguard.lexicon.models import PatternKind
from socialguard.lexicon.permissions import keeps_safeguarding_lists, sites_run_by


def _refuse(error: ApplicationError) -> Exception:
    if error.code == ErrorCode.NOT_FOUND:
        return Http404(error.message)
    return PermissionDenied(error.message)


def _call(form: forms.Form, action: Callable[[], Any]) -> Any:
    """Run a service; its refusal of what was typed becomes the form's error (None returned)."""
    try:
        return action()
    except ApplicationError as error:
        if error.code in (ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN):
            raise _refuse(error) from error
        form.add_error(None, error.message)
        return None


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *forms_: forms.Form
) -> HttpResponse:
    status = 400 if any(f.is_bound and f.errors for f in forms_) else 200
    return render(request, template, context, status=status)


def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not is_staff_member(user):
        raise PermissionDenied("The watch lists are kept by staff.")
    return render(
        request,
        "lexicon/index.html",
        {"lead": keeps_safeguarding_lists(user), "sites": list(sites_run_by(user))},
    )


# --- The phrase library -----------------------------------------------------------------------


def phrases(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    try:
        rows = list(selectors.phrase_list(user=user))
    except ApplicationError as error:
        raise _refuse(error) from error
    intent = request.POST.get("intent", "") if request.method == "POST" else ""
    form = PhraseForm(request.POST if intent == "add" else None)
    try_form = TryForm(request.POST if intent == "try" else None, prefix="try")
    result = None
    if intent == "add" and form.is_valid():
        data = form.cleaned_data
        added = _call(
            form,
            lambda: services.phrase_add(
                by=user, pattern=data["pattern"], kind=data["kind"], note=data["note"]
            ),
        )
        if added is not None:
            messages.success(request, "Phrase added. It applies to the next message posted.")
            return redirect("lexicon:phrases")
    if intent == "try" and try_form.is_valid():
        data = try_form.cleaned_data
        result = _call(
            try_form,
            lambda: tryout.try_pattern(
                pattern=data["candidate"],
                regex=data["kind"] == PatternKind.REGEX,
                organisation_id=int(user.organisation_id or 0),
            ),
        )
    context = {"rows": rows, "form": form, "try_form": try_form, "result": result}
    return _page(request, "lexicon/phrases.html", context, form, try_form)


def phrase_edit(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    pk = _lead_id(request, user, "phrase")
    if pk is None:
        return redirect("lexicon:phrases")
    phrase = _get(lambda: selectors.access_phrase(user=user, pk=pk))
    initial = {"pattern": phrase.pattern, "kind": phrase.kind, "note": phrase.note}
    form = PhraseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _call(
            form,
            lambda: services.phrase_update(
                phrase=phrase,
                by=user,
                pattern=data["pattern"],
                kind=data["kind"],
                note=data["note"],
            ),
        ):
            messages.success(request, "Phrase changed.")
            return redirect("lexicon:phrases")
    context = {"form": form, "title": "Change a phrase", "back": reverse("lexicon:phrases")}
    return _page(request, "lexicon/edit.html", context, form)


def phrase_delete(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    pk = _lead_id(request, user, "phrase")
    if pk is None:
        return redirect("lexicon:phrases")
    phrase = _get(lambda: selectors.access_phrase(user=user, pk=pk))
    return _confirm_delete(
        request,
        what=f"the phrase '{phrase.pattern}'",
        back=reverse("lexicon:phrases"),
        delete=lambda: services.phrase_delete(phrase=phrase, by=user),
        done="Phrase removed. Messages are no longer checked for it.",
    )


# --- Example sentences ------------------------------------------------------------------------


def examples(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    try:
        rows = list(selectors.example_list(user=user))
    except ApplicationError as error:
        raise _refuse(error) from error
    intent = request.POST.get("intent", "") if request.method == "POST" else ""
    form = ExampleForm(request.POST if intent == "add" else None)
    try_form = ExampleTryForm(request.POST if intent == "try" else None, prefix="try")
    result = None
    if intent == "add" and form.is_valid():
        data = form.cleaned_data
        added = _call(
            form,
            lambda: services.example_add(
                by=user, text=data["text"], category=data["category"], note=data["note"]
            ),
        )
        if added is not None:
            messages.success(
                request, "Example added. Messages that mean the same now go to the leads."
            )
            return redirect("lexicon:examples")
    if intent == "try" and try_form.is_valid():
        candidate = try_form.cleaned_data["candidate"]
        result = _call(
            try_form,
            lambda: tryout.try_example(
                text=candidate, organisation_id=int(user.organisation_id or 0)
            ),
        )
    labels = dict(selectors.example_categories())
    context = {
        "rows": [(e, labels.get(e.category, e.category)) for e in rows],
        "form": form,
        "try_form": try_form,
        "result": result,
    }
    return _page(request, "lexicon/examples.html", context, form, try_form)


def example_edit(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    pk = _lead_id(request, user, "example")
    if pk is None:
        return redirect("lexicon:examples")
    example = _get(lambda: selectors.access_example(user=user, pk=pk))
    initial = {"text": example.text, "category": example.category, "note": example.note}
    form = ExampleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _call(
            form,
            lambda: services.example_update(
                example=example,
                by=user,
                text=data["text"],
                category=data["category"],
                note=data["note"],
            ),
        ):
            messages.success(request, "Example changed.")
            return redirect("lexicon:examples")
    context = {"form": form, "title": "Change an example", "back": reverse("lexicon:examples")}
    return _page(request, "lexicon/edit.html", context, form)


def example_delete(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    pk = _lead_id(request, user, "example")
    if pk is None:
        return redirect("lexicon:examples")
    example = _get(lambda: selectors.access_example(user=user, pk=pk))
    return _confirm_delete(
        request,
        what=f"the example '{example.text}'",
        back=reverse("lexicon:examples"),
        delete=lambda: services.example_delete(example=example, by=user),
        done="Example removed.",
    )


# --- A site's House Rules watched words -------------------------------------------------------


def site_words(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    site = _get(lambda: selectors.access_site_words(user=user, pk=pk))
    intent = request.POST.get("intent", "") if request.method == "POST" else ""
    form = WatchedWordForm(request.POST if intent == "add" else None)
    try_form = TryForm(request.POST if intent == "try" else None, prefix="try")
    result = None
    if intent == "add" and form.is_valid():
        data = form.cleaned_data
        added = _call(
            form,
            lambda: services.watched_word_add(
                site=site,
                by=user,
                pattern=data["pattern"],
                action=data["action"],
                kind=data["kind"],
                note=data["note"],
            ),
        )
        if added is not None:
            messages.success(request, "Word added. It applies to the next contribution.")
            return redirect("lexicon:site_words", pk=site.pk)
    if intent == "try" and try_form.is_valid():
        data = try_form.cleaned_data
        result = _call(
            try_form,
            lambda: tryout.try_pattern(
                pattern=data["candidate"],
                regex=data["kind"] == PatternKind.REGEX,
                organisation_id=site.organisation_id,
                site=site,
            ),
        )
    context = {
        "site": site,
        "rows": list(selectors.watched_word_list(site=site)),
        "form": form,
        "try_form": try_form,
        "result": result,
    }
    return _page(request, "lexicon/site_words.html", context, form, try_form)


def site_word_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    site = _get(lambda: selectors.access_site_words(user=user, pk=pk))
    word_pk = query_id(request, "word")
    if word_pk is None:
        return redirect("lexicon:site_words", pk=site.pk)
    word = _get(lambda: selectors.access_watched_word(site=site, pk=word_pk))
    initial = {"pattern": word.pattern, "action": word.action, "kind": word.kind, "note": word.note}
    form = WatchedWordForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _call(
            form,
            lambda: services.watched_word_update(
                word=word,
                by=user,
                pattern=data["pattern"],
                action=data["action"],
                kind=data["kind"],
                note=data["note"],
            ),
        ):
            messages.success(request, "Word changed.")
            return redirect("lexicon:site_words", pk=site.pk)
    back = reverse("lexicon:site_words", args=[site.pk])
    context = {"form": form, "title": f"Change a watched word on {site.name}", "back": back}
    return _page(request, "lexicon/edit.html", context, form)


def site_word_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    site = _get(lambda: selectors.access_site_words(user=user, pk=pk))
    word_pk = query_id(request, "word")
    if word_pk is None:
        return redirect("lexicon:site_words", pk=site.pk)
    word = _get(lambda: selectors.access_watched_word(site=site, pk=word_pk))
    return _confirm_delete(
        request,
        what=f"the word '{word.pattern}' from {site.name}'s House Rules",
        back=reverse("lexicon:site_words", args=[site.pk]),
        delete=lambda: services.watched_word_delete(word=word, by=user),
        done="Word removed from the House Rules list.",
    )


# --- Shared -----------------------------------------------------------------------------------


def _lead_id(request: HttpRequest, user: Any, key: str) -> int | None:
    """The id in ``?key=`` on a leads-only page; 404 first for anyone who is not a lead."""
    if not keeps_safeguarding_lists(user):
        raise Http404("Page not found.")
    return query_id(request, key)


def _get(fetch: Callable[[], Any]) -> Any:
    try:
        return fetch()
    except ApplicationError as error:
        raise _refuse(error) from error


def _confirm_delete(
    request: HttpRequest, *, what: str, back: str, delete: Callable[[], None], done: str
) -> HttpResponse:
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        _get(delete)
        messages.success(request, done)
        return redirect(back)
    return _page(
        request, "lexicon/confirm_delete.html", {"form": form, "what": what, "back": back}, form
    )
