"""Every page of the site, generated from the URL conf, with who may open it on the demo
federation. The raw-code test (tests/test_plain_words.py) and the axe-core test
(tests/browser/test_accessibility.py) both walk this list, so a new page is checked as soon as it
has a URL: a named URL that is neither here nor in ``NOT_PAGES`` fails ``test_catalogue_covers``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# POST-only endpoints, file downloads and exports: not pages a person reads.
NOT_PAGES = frozenset(
    {
        "core:healthz",
        "accounts:logout",
        # Two-step sign-in: POST-only and JSON calls; the code page redirects anyone without a
        # second step set up (the demo's people have none), so accounts/tests/test_mfa.py and
        # tests/browser/test_sso_and_mfa.py open it instead.
        "accounts:mfa_verify",
        "accounts:mfa_recovery_codes",
        "accounts:mfa_remove",
        "accounts:passkey_register_options",
        "accounts:passkey_register",
        "accounts:passkey_sign_in_options",
        "accounts:passkey_sign_in",
        # The identity provider's answer (400 without one; accounts/tests/test_sso.py).
        "accounts:sso_callback",
        "audit:export",
        "integrations:roster_import_apply",
        "policy:acknowledge",
        "policy:acknowledgements_remind",
        "policy:publish",
        "policy:discard",
        "sites:submit",
        "sites:publish_document",
        "sites:go_live",
        "sites:form_pdf",
        "sites:close",
        "sites:export",
        "community:contribute",
        "community:join",
        "community:report",
        "community:image",
        "community:logo",
        "moderation:act",
        "moderation:bulk",
        "moderation:reveal",
        "safeguarding:my_action_done",
        "safeguarding:from_review_item",
        "safeguarding:act",
        "safeguarding:evidence_file",
        "cases:case_act",
        "cases:evidence_file",
        "cases:access_revoke",
        "cases:report_sent",  # shown only straight after a report (it reads the session)
        "lexicon:phrase_delete",
        "lexicon:example_delete",
        "lexicon:site_word_delete",
        "monitoring:finding_act",
    }
)
SKIPPED_NAMESPACES = ("admin", "api-1")


@dataclass(frozen=True)
class Page:
    name: str
    username: str  # "" for a visitor who is not signed in
    path: str

    @property
    def label(self) -> str:
        return f"{self.username or 'visitor'} {self.path}"


def url_names() -> list[str]:
    """Every named URL of the project, namespaced ("moderation:queue")."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                space = entry.namespace or ""
                if space in SKIPPED_NAMESPACES:
                    continue
                yield from walk(entry.url_patterns, f"{prefix}{space}:" if space else prefix)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{prefix}{entry.name}"

    return sorted(set(walk(get_resolver().url_patterns, "")))


def _first(model: Any, **filters: Any) -> Any:
    found = model.objects.filter(**filters).order_by("pk").first()
    assert found is not None, (model.__name__, filters)
    return found


def _blog() -> Any:
    from socialguard.sites.models import Site

    return _first(Site, name="Year 4 Learning Blog")


def _pending_item() -> Any:
    from socialguard.moderation.models import ReviewItem

    return _first(ReviewItem, site=_blog(), status="pending")


def _decided_item() -> Any:
    from socialguard.moderation.models import ReviewItem

    item = (
        ReviewItem.objects.filter(site=_blog(), contribution__isnull=False)
        .exclude(status__in=("pending", "safeguarding"))
        .order_by("pk")
        .first()
    )
    return item or _pending_item()


def _blocked_item() -> Any:
    from socialguard.moderation.models import ReviewItem

    return _first(ReviewItem, site=_blog(), status="pending", blocked_by_engine=True)


def _escalated_item() -> Any:
    """What went to the safeguarding leads (safeguarding owns it since issue 12)."""
    from socialguard.safeguarding.models import Escalation

    return _first(Escalation)


def _lead_role() -> Any:
    from socialguard.accounts.models import RoleAssignment

    return _first(RoleAssignment, role__in=("dsl", "deputy_dsl"))


def _concern() -> Any:
    from socialguard.safeguarding.models import Concern

    return _first(Concern)


def _case() -> Any:
    from socialguard.cases.models import BreachCase

    return _first(BreachCase)


def _report(**filters: Any) -> Any:
    from socialguard.cases.models import BreachReport

    return _first(BreachReport, **filters)


def _enquiry() -> Any:
    from socialguard.cases.models import MediaEnquiry

    return _first(MediaEnquiry)


def _approval() -> Any:
    from socialguard.approvals.models import ApprovalRequest

    return _first(ApprovalRequest)


def _message() -> Any:
    from socialguard.accounts.models import Organisation
    from socialguard.notifications.models import OutboxMessage

    found = OutboxMessage.objects.order_by("pk").first()
    # Mail is sent after commit, which a test's transaction never reaches: one stands in.
    return found or OutboxMessage.objects.create(
        organisation=Organisation.objects.order_by("pk").first(),
        from_email="office@example.org",
        to=["head@example.org"],
        subject="A concern was recorded",
        body="A safeguarding concern was recorded. Open socialguard to read it.",
        category="safeguarding.concern_recorded",
    )


def _finding(pupil: bool) -> dict[str, Any] | None:
    """A monitoring finding of the demo (issue 14): a staff member's, or a pupil's search."""
    from django.apps import apps

    model = apps.get_model("monitoring", "MonitoringFinding")
    found = model.objects.filter(subject_is_pupil=pupil).order_by("pk").first()
    return None if found is None else {"pk": found.pk}


def _monitoring(model: str) -> dict[str, Any] | None:
    from django.apps import apps

    found = apps.get_model("monitoring", model).objects.order_by("pk").first()
    return None if found is None else {"pk": found.pk}


def _policy_draft() -> Any:
    """A draft of the policy (the demo publishes its policy; an upload stands in)."""
    from django.conf import settings

    from socialguard.accounts.models import Organisation
    from socialguard.policy.models import PolicyVersion
    from socialguard.policy.services import policy_draft_create, policy_file_parse

    found = PolicyVersion.objects.filter(status="draft").order_by("pk").first()
    if found is not None:
        return found
    parsed, sha = policy_file_parse(path=settings.DEFAULT_POLICY_FILE)
    return policy_draft_create(
        organisation=Organisation.objects.get(slug="roselands-stafford"),
        parsed=parsed,
        source_name="Social Media Policy 2025.docx",
        source_sha256=sha,
        by=None,
    )


def _policy_current() -> Any:
    from socialguard.policy.models import PolicyVersion

    return _first(PolicyVersion, is_current=True, organisation__slug="roselands-stafford")


def _roster_import() -> dict[str, Any] | None:
    """The demo's roster import (a dry run)."""
    from django.apps import apps

    found = apps.get_model("integrations", "RosterImport").objects.order_by("pk").first()
    return None if found is None else {"pk": found.pk}


def _lexicon(model: str) -> int | None:
    """A row of the lead's watch lists; the demo may have none (then the page is skipped)."""
    from django.apps import apps

    found = apps.get_model("lexicon", model).objects.order_by("pk").first()
    return found.pk if found else None


def _edit(name: str, model: str, **kwargs: Any) -> dict[str, Any] | None:
    pk = _lexicon(model)
    return None if pk is None else {**kwargs, "_query": f"?{name}={pk}"}


def _receipt() -> Any:
    concern = _first(type(_concern()), reporter__username="teacher")
    return {"reference": concern.reference}


Kwargs = Callable[[], dict[str, Any] | None]
_NONE: Kwargs = dict
# URL name -> [(username, kwargs)]: who opens it, on which object.
PAGES: dict[str, list[tuple[str, Kwargs]]] = {
    "core:dashboard": [
        (u, _NONE) for u in ("head", "dsl", "comms", "teacher", "governor", "pupil")
    ],
    "accounts:login": [("", _NONE)],
    "accounts:password_reset": [("", _NONE)],
    "accounts:password_reset_sent": [("", _NONE)],
    "accounts:password_reset_complete": [("", _NONE)],
    "accounts:password_reset_confirm": [("", lambda: {"uidb64": "MQ", "token": "not-a-token"})],
    "accounts:role_confirm": [("head", lambda: {"pk": _lead_role().pk})],
    "accounts:mfa": [("dsl", _NONE), ("teacher", _NONE)],
    "accounts:mfa_totp": [("dsl", _NONE)],
    "accounts:sso_start": [("", _NONE)],
    "accounts:sso_settings": [("admin", _NONE)],
    "policy:current": [("", _NONE), ("teacher", _NONE)],
    "policy:for_organisation": [("", lambda: {"slug": "roselands-stafford"})],
    "policy:acknowledgements": [("head", _NONE)],
    "policy:changes": [("teacher", _NONE)],
    "policy:compare": [
        ("teacher", _NONE),
        ("head", lambda: {"_query": f"?a={_policy_current().pk}&b={_policy_draft().pk}"}),
    ],
    "policy:version": [("teacher", lambda: {"pk": _policy_current().pk})],
    "policy:manage": [("head", _NONE)],
    "policy:upload": [("head", _NONE)],
    "policy:review_start": [("head", _NONE)],
    "policy:draft": [("head", lambda: {"pk": _policy_draft().pk})],
    "policy:clause": [("head", lambda: {"pk": _policy_draft().pk, "number": "5.3"})],
    "audit:events": [("admin", _NONE)],
    "notifications:outbox": [("admin", _NONE)],
    "notifications:message": [("admin", lambda: {"pk": _message().pk})],
    "sites:register": [("comms", _NONE)],
    "sites:mine": [("teacher", _NONE)],
    "sites:absences": [("comms", _NONE)],
    "sites:new": [("teacher", _NONE)],
    "sites:detail": [("comms", lambda: {"pk": _blog().pk})],
    "sites:edit": [("teacher", lambda: {"pk": _blog().pk})],
    "sites:evaluate": [("teacher", lambda: {"pk": _blog().pk})],
    "approvals:inbox": [("head", _NONE)],
    "approvals:detail": [("head", lambda: {"pk": _approval().pk})],
    "approvals:delegate": [("head", _NONE)],
    "approvals:new": [("teacher", _NONE)],
    "community:index": [("pupil", _NONE)],
    "community:site": [
        ("pupil", lambda: {"pk": _blog().pk}),
        ("comms", lambda: {"pk": _blog().pk}),
    ],
    "community:mine": [("pupil", lambda: {"pk": _blog().pk})],
    "community:document": [("pupil", lambda: {"pk": _blog().pk, "kind": "house_rules"})],
    "moderation:queue": [("comms", _NONE)],
    "moderation:item": [
        ("comms", lambda: {"pk": _pending_item().pk}),
        ("comms", lambda: {"pk": _decided_item().pk}),
        ("comms", lambda: {"pk": _blocked_item().pk}),
    ],
    "moderation:safeguarding": [("dsl", _NONE)],
    "moderation:safeguarding_item": [("dsl", lambda: {"pk": _escalated_item().pk})],
    "safeguarding:list": [("dsl", _NONE)],
    "safeguarding:agencies": [("dsl", _NONE)],
    "safeguarding:new": [("teacher", _NONE)],
    "safeguarding:receipt": [("teacher", _receipt)],
    "safeguarding:my_actions": [("teacher", _NONE)],
    "safeguarding:concern": [("dsl", lambda: {"pk": _concern().pk})],
    "cases:inbox": [("head", _NONE)],
    "cases:report_breach": [("", _NONE)],
    "cases:report_breach_for": [("", lambda: {"slug": "roselands-stafford"})],
    "cases:report": [
        ("head", lambda: {"pk": _report(status="new", about_head_teacher=False).pk}),
        ("governor", lambda: {"pk": _report(about_head_teacher=True).pk}),
    ],
    "cases:case": [("head", lambda: {"pk": _case().pk})],
    "cases:access": [("head", _NONE)],
    "cases:media_list": [("head", _NONE)],
    "cases:media_new": [("teacher", _NONE)],
    "cases:media_detail": [("head", lambda: {"pk": _enquiry().pk})],
    "reports:governance": [("governor", _NONE)],
    "integrations:api_tokens": [("teacher", _NONE)],
    "integrations:roster": [("admin", _NONE)],
    "integrations:webhook": [("admin", _NONE)],
    "integrations:roster_columns": [("admin", _NONE)],
    "integrations:roster_import": [("admin", lambda: _roster_import())],
    "monitoring:overview": [("itlead", _NONE), ("dsl", _NONE)],
    "monitoring:findings": [("itlead", _NONE), ("head", _NONE), ("dsl", _NONE)],
    "monitoring:finding": [
        ("itlead", lambda: _finding(pupil=False)),
        ("dsl", lambda: _finding(pupil=True)),
    ],
    "monitoring:upload": [("itlead", _NONE)],
    "monitoring:run": [("itlead", lambda: _monitoring("IngestRun"))],
    "monitoring:sources": [("itlead", _NONE)],
    "monitoring:source": [("itlead", lambda: _monitoring("LogSource"))],
    "monitoring:categories": [("itlead", _NONE)],
    "monitoring:hours": [("itlead", _NONE)],
    "monitoring:charts": [("governor", _NONE)],
    "monitoring:notice": [("teacher", _NONE)],
    "monitoring:notice_manage": [("itlead", _NONE), ("head", _NONE)],
    "monitoring:review": [("itlead", _NONE)],
    "lexicon:index": [("dsl", _NONE), ("comms", _NONE)],
    "postcheck:check": [("teacher", _NONE), ("governor", _NONE)],
    "lexicon:phrases": [("dsl", _NONE)],
    "lexicon:phrase_edit": [("dsl", lambda: _edit("phrase", "SafeguardingPhrase"))],
    "lexicon:examples": [("dsl", _NONE)],
    "lexicon:example_edit": [("dsl", lambda: _edit("example", "ExampleSentence"))],
    "lexicon:site_words": [("teacher", lambda: {"pk": _blog().pk})],
    "lexicon:site_word_edit": [("teacher", lambda: _edit("word", "WatchedWord", pk=_blog().pk))],
}


def uncatalogued() -> list[str]:
    return [n for n in url_names() if n not in PAGES and n not in NOT_PAGES]


def pages() -> list[Page]:
    """Every page, resolved against the loaded demo federation."""
    found = []
    for name, openers in PAGES.items():
        for username, kwargs in openers:
            values = kwargs()
            if values is None:
                continue
            query = values.pop("_query", "")  # an edit page names its row in the query string
            found.append(Page(name, username, reverse(name, kwargs=values) + query))
    return found
