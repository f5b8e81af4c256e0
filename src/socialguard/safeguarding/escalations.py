"""The safeguarding hand-over (A.2.3, A.5.6): the one door through which anything reaches the
safeguarding leads from elsewhere, and everything that happens to it afterwards.

``escalation_open`` freezes the evidence (core.evidence), keeps its own copy of any image, tells
the DSL and deputies with the category's label and a link only (never the content: CPOMS), and
starts the one escalation ladder (``safeguarding.checks``). The sender never hears back, except
when a lead judges it is not a safeguarding matter: then the handler the sender registered for
its ``source_type`` is called (as the approval engine calls its subjects' handlers)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import SAFEGUARDING_ROLES, Organisation, User
from socialguard.accounts.selectors import people_with_role
from socialguard.audit.services import audit_record
from socialguard.core import evidence as frozen
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit
from socialguard.safeguarding import selectors
from socialguard.safeguarding.models import Concern, ConcernEvidence, Escalation
from socialguard.safeguarding.permissions import is_safeguarding_lead
from socialguard.safeguarding.services import categories_clean, create_concern, tell_recorded
from socialguard.screening import categories as registry

CLAUSES = ("A.2.3", "A.5.6")

# source_type -> handler(source_id=..., by=..., reason=...) run when the leads return an item.
ReturnHandler = Callable[..., None]
_RETURN_HANDLERS: dict[str, ReturnHandler] = {}


def register_return_handler(source_type: str, handler: ReturnHandler) -> None:
    _RETURN_HANDLERS[source_type] = handler


def category_label(code: str) -> str:
    if code == "other":
        return registry.safeguarding_codes()["other"]
    return registry.label(code)


def _link(escalation: Escalation) -> str:
    return reverse("moderation:safeguarding_item", args=[escalation.pk])


def tell_leads(escalation: Escalation, people: Iterable[User], *, level: int) -> None:
    """The e-mail carries the category's label and a link, never the content (CPOMS)."""
    label = category_label(escalation.category)
    email_after_commit(
        recipients=people,
        subject=f"Safeguarding: {label}" + (" (not yet acknowledged)" if level else ""),
        template="safeguarding/email/escalation.txt",
        context={
            "label": label,
            "link": _link(escalation),
            "level": level,
            "at": escalation.escalated_at,
        },
        organisation_id=escalation.organisation_id,
        category="safeguarding.alert",
    )


def _audit(by: User | None, escalation: Escalation, verb: str, **details: Any) -> None:
    audit_record(
        actor=by,
        action=f"safeguarding.escalation.{verb}",
        target=escalation,
        clauses=CLAUSES,
        organisation_id=escalation.organisation_id,
        details={"category": escalation.category, **details},
    )


def _store_image(escalation: Escalation, image: tuple[bytes, str] | None) -> None:
    if image is None:
        return
    data, content_type = image
    escalation.image_sha256 = frozen.bytes_sha256(data)
    escalation.image_content_type = content_type[:40]
    escalation.image.save(f"{uuid.uuid4().hex}.bin", ContentFile(data), save=False)


@transaction.atomic
def escalation_open(
    *,
    organisation_id: int,
    school_id: int | None,
    site_id: int | None,
    place: str,
    source_type: str,
    source_id: int,
    category: str,
    record: dict[str, Any],
    by: User | None,
    findings: Sequence[dict[str, Any]] = (),
    image: tuple[bytes, str] | None = None,
    note: str = "",
) -> Escalation:
    """Hand something to the leads. Idempotent per source: a second hand-over of an item still
    with the leads changes nothing; one the leads had returned comes back to them."""
    if category != "other" and not registry.category(category).safeguarding:
        category = "other"
    now = timezone.now()
    escalation = (
        Escalation.objects.select_for_update()
        .filter(source_type=source_type, source_id=source_id)
        .first()
    )
    if escalation is not None and escalation.status != Escalation.Status.RETURNED:
        return escalation
    if image is not None:
        record = {**record, "image_sha256": frozen.bytes_sha256(image[0])}
    evidence = frozen.freeze(record, by_id=by.pk if by else None, at=now)
    if escalation is None:
        escalation = Escalation(
            organisation_id=organisation_id, source_type=source_type, source_id=source_id
        )
    escalation.school_id = school_id
    escalation.site_id = site_id
    escalation.place = place[:200]
    escalation.category = category
    escalation.raised_via = (
        Escalation.RaisedVia.PERSON if by is not None else Escalation.RaisedVia.SCREENING
    )
    escalation.raised_by = by
    escalation.note = note.strip()
    escalation.evidence = evidence
    escalation.sha256 = evidence["sha256"]
    escalation.findings = [f for f in findings if not f.get("redact")]
    escalation.status = Escalation.Status.WITH_LEADS
    escalation.escalated_at = now
    escalation.reminder_level = 0
    escalation.acknowledged_at = escalation.acknowledged_by = None
    escalation.returned_reason = ""
    _store_image(escalation, image)
    escalation.save()
    _audit(
        by,
        escalation,
        "opened",
        source=escalation.raised_via,
        source_type=source_type,
        source_id=source_id,
        sha256=escalation.sha256,
        image=bool(image),
    )
    organisation = Organisation.objects.get(pk=organisation_id)
    leads = people_with_role(
        organisation=organisation, roles=SAFEGUARDING_ROLES, school=escalation.school
    )
    tell_leads(escalation, leads, level=0)
    return escalation


def _require_lead(by: User, escalation: Escalation) -> None:
    if not (is_safeguarding_lead(by) and by.organisation_id == escalation.organisation_id):
        raise ApplicationError(
            "Only the safeguarding leads act on an escalated item.", code=ErrorCode.FORBIDDEN
        )


def _locked(escalation: Escalation) -> Escalation:
    return Escalation.objects.select_for_update(of=("self",)).get(pk=escalation.pk)


@transaction.atomic
def escalation_acknowledge(*, escalation: Escalation, by: User) -> Escalation:
    """'I am dealing with this': stops the ladder (A.2.3)."""
    escalation = _locked(escalation)
    _require_lead(by, escalation)
    if escalation.acknowledged_at is not None:
        raise ApplicationError("A lead has acknowledged this already.", code=ErrorCode.ALREADY_DONE)
    escalation.acknowledged_at, escalation.acknowledged_by = timezone.now(), by
    escalation.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _audit(by, escalation, "acknowledged")
    return escalation


@transaction.atomic
def escalation_return(*, escalation: Escalation, by: User, reason: str) -> Escalation:
    """The lead judges it is not a safeguarding matter. The frozen evidence stays here; the
    sender's handler takes the item back (held, never published by this step)."""
    escalation = _locked(escalation)
    _require_lead(by, escalation)
    if not escalation.with_leads:
        raise ApplicationError(
            "This item is no longer waiting for a lead.", code=ErrorCode.CONFLICT
        )
    if not reason.strip():
        raise ApplicationError("Say why this is not a safeguarding matter.", code=ErrorCode.INVALID)
    now = timezone.now()
    escalation.status = Escalation.Status.RETURNED
    escalation.returned_reason = reason.strip()
    escalation.acknowledged_at = escalation.acknowledged_at or now
    escalation.acknowledged_by = escalation.acknowledged_by or by
    escalation.save(
        update_fields=["status", "returned_reason", "acknowledged_at", "acknowledged_by"]
    )
    _audit(by, escalation, "returned")
    handler = _RETURN_HANDLERS.get(escalation.source_type)
    if handler is not None:
        handler(source_id=escalation.source_id, by=by, reason=escalation.returned_reason)
    return escalation


def _day(value: datetime) -> str:
    return f"{value.day} {value:%B %Y}"


def _account(escalation: Escalation) -> str:
    when = timezone.localtime(escalation.escalated_at)
    return (
        f"Recorded from a contribution ({escalation.place}) that "
        f"{escalation.get_raised_via_display()} passed to the safeguarding lead on "
        f"{_day(when)} at {when:%H:%M}. The contribution itself is kept below as frozen "
        "evidence with its sha256."
    )


def concern_from_escalation(
    *, by: User, escalation: Escalation, account: str = "", categories: Sequence[str] = ()
) -> Concern:
    """The DSL turns an escalated item into a concern in one step: the frozen evidence comes
    along with its sha256, the pupil who wrote it is named, the category is carried over.
    Idempotent: an item that already has a concern leads to that concern."""
    with transaction.atomic():
        escalation = _locked(escalation)
        _require_lead(by, escalation)
        existing = Concern.objects.filter(escalation=escalation).first()
        if existing is not None:
            return existing
        if not escalation.with_leads:
            raise ApplicationError(
                "This item was returned to the moderators: record a concern from the form.",
                code=ErrorCode.CONFLICT,
            )
        evidence = dict(escalation.evidence)
        if not frozen.verify(evidence, escalation.sha256):
            raise ApplicationError(
                "The frozen evidence on this item no longer matches its sha256. Record the "
                "concern from the form and tell the IT lead.",
                code=ErrorCode.CONFLICT,
            )
        organisation = Organisation.objects.get(pk=escalation.organisation_id)
        author_id = int(evidence.get("author_id") or 0)
        pupil = selectors.pupils_of(organisation=organisation).filter(pk=author_id).first()
        written = evidence.get("written_at")
        concern = create_concern(
            by=by,
            organisation=organisation,
            school=escalation.school or (pupil.school if pupil else None),
            occurred_at=datetime.fromisoformat(written) if written else escalation.escalated_at,
            location=escalation.place,
            account="\n\n".join(filter(None, [account.strip(), _account(escalation)])),
            # A pupil's own post is the child's words, exactly as written.
            child_words=str(evidence.get("content", "")) if pupil else "",
            categories=categories_clean(categories or [escalation.category or "other"]),
            pupils=[pupil] if pupil else [],
            unlisted_pupils=(),
            source=Concern.Source.REVIEW_ITEM,
            escalation=escalation,
        )
        concern.acknowledged_at, concern.acknowledged_by = concern.created_at, by
        concern.save(update_fields=["acknowledged_at", "acknowledged_by"])
        ConcernEvidence.objects.create(
            concern=concern,
            source_type=ConcernEvidence.SourceType.REVIEW_ITEM,
            source_id=str(escalation.source_id),
            description=f"Contribution ({escalation.place}), frozen when it was escalated",
            content=evidence,
            sha256=escalation.sha256,
            added_by=by,
        )
        escalation.status = Escalation.Status.RECORDED
        escalation.acknowledged_at = escalation.acknowledged_at or concern.created_at
        escalation.acknowledged_by = escalation.acknowledged_by or by
        escalation.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
        audit_record(
            actor=by,
            action="safeguarding.concern.recorded",
            target=concern,
            clauses=CLAUSES,
            organisation_id=concern.organisation_id,
            details={
                "reference": concern.reference,
                "source": concern.source,
                "escalation": escalation.pk,
                "categories": concern.categories,
                "school": concern.school_id,
                "pupils": concern.pupils.count(),
                "evidence": 1,
                "evidence_sha256": escalation.sha256,
            },
        )
        tell_recorded(concern, organisation)
    return concern
