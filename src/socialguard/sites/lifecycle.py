"""A site's life after going live (A.1.6, A.1.7): reminders before its review and closure
dates, review due, closing, evaluation against each stated aim, and a flag when nobody has
moderated it for 30 days ("it must not be neglected")."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from socialguard.accounts.models import Role, User
from socialguard.accounts.selectors import people_with_role
from socialguard.approvals.services import approval_request_open
from socialguard.approvals.workflows import Kind
from socialguard.audit.models import AuditEvent
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit
from socialguard.sites.models import Site, SiteEvaluation, SiteReminder
from socialguard.sites.selectors import current_documents

REMINDER_DAYS = (30, 7)
NEGLECT_DAYS = 30
MET = ("yes", "partly", "no")


def _remind_once(
    site: Site, kind: str, due_on: date, subject: str, *, leaders: bool = False
) -> bool:
    try:
        with transaction.atomic():
            SiteReminder.objects.create(site=site, kind=kind, due_on=due_on)
    except IntegrityError:
        return False  # already sent for this date
    recipients: list[Any] = [site.owner]
    if leaders:
        recipients += list(
            people_with_role(
                organisation=site.organisation, roles=[Role.COMMS_MANAGER, Role.HEAD_TEACHER]
            )
        )
    email_after_commit(
        recipients=recipients,
        subject=f"{site.name}: {subject}",
        template="sites/email/lifecycle.txt",
        context={"site": site, "kind": kind, "due_on": due_on, "message": subject},
        organisation_id=site.organisation_id,
        category=f"sites.{kind}",
    )
    return True


def _dates(site: Site, today: date) -> list[str]:
    lines = []
    for field, label in (("review_on", "review"), ("closure_on", "closure")):
        due: date | None = getattr(site, field)
        if due is None or due < today:
            continue
        days = (due - today).days
        for window in REMINDER_DAYS:
            if days <= window and _remind_once(
                site, f"{label}_{window}", due, f"{label} due on {due:%d %B %Y}"
            ):
                lines.append(f"{site.name}: {label} reminder ({days} days left)")
                break
    return lines


@transaction.atomic
def site_lifecycle_check(*, site: Site, today: date | None = None) -> list[str]:
    today = today or date.today()
    site = Site.objects.select_for_update().get(pk=site.pk)
    lines = _dates(site, today)
    if site.status == Site.Status.LIVE and site.review_on and site.review_on <= today:
        site.status = Site.Status.REVIEW_DUE
        site.save(update_fields=["status", "updated_at"])
        audit_record(actor=None, action="sites.site.review_due", target=site, clauses=["A.1.7"])
        lines.append(f"{site.name}: review due; the owner evaluates it against its aims")
    if (
        site.status in (Site.Status.LIVE, Site.Status.REVIEW_DUE)
        and site.closure_on
        and site.closure_on <= today
    ):
        site.status = Site.Status.CLOSING
        site.save(update_fields=["status", "updated_at"])
        audit_record(actor=None, action="sites.site.closing", target=site, clauses=["A.1.6"])
        _remind_once(
            site, "closing", site.closure_on, "closure date reached: archive the site", leaders=True
        )
        lines.append(f"{site.name}: closure date reached")
    lines += _neglect(site, today)
    return lines


def _neglect(site: Site, today: date) -> list[str]:
    if site.status not in (Site.Status.LIVE, Site.Status.REVIEW_DUE) or site.neglect_flagged_at:
        return []
    since = (
        site.last_moderation_at.date()
        if site.last_moderation_at
        else (site.go_live_on or site.created_at.date())
    )
    if (today - since).days < NEGLECT_DAYS:
        return []
    site.neglect_flagged_at = timezone.now()
    site.save(update_fields=["neglect_flagged_at", "updated_at"])
    audit_record(
        actor=None,
        action="sites.site.neglected",
        target=site,
        clauses=["A.1.6"],
        details={"no_moderation_since": since.isoformat()},
    )
    _remind_once(
        site,
        "neglect",
        today,
        f"no moderation for {NEGLECT_DAYS} days: is it neglected?",
        leaders=True,
    )
    return [f"{site.name}: possibly neglected (no moderation since {since:%d %B %Y})"]


@transaction.atomic
def site_evaluation_record(
    *, site: Site, by: User, against_aims: list[dict[str, str]], decision: str, notes: str = ""
) -> SiteEvaluation:
    """A.1.7: how the site did against each aim it was approved for, and what happens next."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    if by.pk != site.owner_id:
        raise ApplicationError("The site's owner records its evaluation.", code=ErrorCode.FORBIDDEN)
    if site.status not in (Site.Status.LIVE, Site.Status.REVIEW_DUE):
        raise ApplicationError("Only a live site is evaluated.")
    aims = {row.get("aim", "") for row in against_aims if row.get("met") in MET}
    missing = [aim for aim in site.aims_list if aim not in aims]
    if missing:
        raise ApplicationError(
            "Say how the site did against every aim: " + "; ".join(missing) + "."
        )
    if decision not in SiteEvaluation.Decision.values:
        raise ApplicationError("Choose continue, change or close.")
    evaluation = SiteEvaluation.objects.create(
        site=site, by=by, against_aims=against_aims, decision=decision, notes=notes
    )
    if decision == SiteEvaluation.Decision.CONTINUE:
        approval_request_open(
            kind=Kind.SITE_PROPOSAL,
            subject=site,
            title=f"{site.name} (continue after review)",
            submitted_by=by,
        )
        site.status = Site.Status.AWAITING_LINE_MANAGER
    elif decision == SiteEvaluation.Decision.CHANGE:
        site.status = Site.Status.CHANGES_REQUESTED
    else:
        site.status = Site.Status.CLOSING
    site.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=by,
        action="sites.site.evaluate",
        target=site,
        clauses=["A.1.7"],
        details={"decision": decision},
    )
    return evaluation


def site_export(*, site: Site) -> dict[str, Any]:
    """The site's record for the archive: proposal, people, documents, evaluations, history."""
    history = AuditEvent.objects.filter(target_type="sites.site", target_id=str(site.pk)).order_by(
        "at"
    )
    return {
        "site": {
            f: str(getattr(site, f))
            for f in (
                "name",
                "status",
                "host",
                "host_name",
                "purpose",
                "aims",
                "go_live_on",
                "closure_on",
                "review_on",
            )
        },
        "owner": str(site.owner),
        "roles": [
            {"person": str(r.user), "role": r.role, "active": r.active}
            for r in site.roles.select_related("user")
        ],
        "documents": [
            {"kind": d.kind, "version": d.version, "text": d.text} for d in site.documents.all()
        ],
        "current_documents": {k: d.version for k, d in current_documents(site).items()},
        "evaluations": [
            {
                "at": e.created_at.isoformat(),
                "decision": e.decision,
                "against_aims": e.against_aims,
                "notes": e.notes,
            }
            for e in site.evaluations.all()
        ],
        "history": [
            {"at": e.at.isoformat(), "action": e.action, "by": e.actor_repr, "clauses": e.clauses}
            for e in history
        ],
    }


def site_export_json(*, site: Site) -> str:
    return json.dumps(site_export(site=site), indent=2, ensure_ascii=False)
