"""Drafts: a school's own policy uploaded or imported, read into clauses with its header and
every parse warning; a review's copy of the current version."""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from socialguard.accounts.models import Organisation, User
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.policy.models import (
    Clause,
    PolicySection,
    PolicyVersion,
)
from socialguard.policy.parser import (
    MAX_UPLOAD_BYTES,
    ParsedPolicy,
    ParseWarning,
    PolicyParseError,
    parse_month_year,
    parse_policy_text,
    read_policy_bytes,
)
from socialguard.policy.services._common import (
    DEFAULT_APPROVER,
    REVIEW_PERIOD_YEARS,
    _published_labels,
)
from socialguard.policy.services.publishing import policy_version_publish


def policy_upload_parse(*, name: str, data: bytes) -> tuple[ParsedPolicy, str]:
    """Read and parse an uploaded document held in memory; errors name the line that failed."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            f"{name} is too big: the largest policy document accepted is "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Save it without pictures and try again.",
            code=ErrorCode.INVALID,
        )
    try:
        text = read_policy_bytes(name=name, data=data)
        parsed = parse_policy_text(text=text, source_name=name)
    except PolicyParseError as error:
        raise ApplicationError(f"{name}: {error}", code=ErrorCode.POLICY_PARSE) from error
    return parsed, hashlib.sha256(data).hexdigest()


def policy_file_parse(*, path: Path) -> tuple[ParsedPolicy, str]:
    """Read and parse a .txt, .md or .docx policy; errors name the line that failed."""
    if not path.is_file():
        raise ApplicationError(f"{path}: no such file.", code=ErrorCode.NOT_FOUND)
    return policy_upload_parse(name=path.name, data=path.read_bytes())


def policy_next_label(*, organisation: Organisation) -> str:
    """The label after the highest published whole number ('1' -> '2'); '1' for the first."""
    labels = _published_labels(organisation)
    numbers = [int(label) for label in labels if label.isdigit()]
    candidate = str(max(numbers) + 1) if numbers else "1"
    while candidate in labels:
        candidate = str(int(candidate) + 1)
    return candidate


def _store_content(version: PolicyVersion, parsed: ParsedPolicy) -> None:
    sections = {
        s.number: PolicySection.objects.create(
            version=version, number=s.number, title=s.title, position=index
        )
        for index, s in enumerate(parsed.sections)
    }
    Clause.objects.bulk_create(
        Clause(
            version=version,
            section=sections[c.section_number],
            number=c.number,
            text=c.text,
            obligation=str(c.obligation),
            position=index,
        )
        for index, c in enumerate(parsed.clauses)
    )


def _label_for(organisation: Organisation, parsed: ParsedPolicy) -> tuple[str, list[ParseWarning]]:
    """The document's own version when it is new; otherwise the next one, and a warning."""
    if not parsed.version:
        return policy_next_label(organisation=organisation), []
    if parsed.version in _published_labels(organisation):
        label = policy_next_label(organisation=organisation)
        return label, [
            ParseWarning(
                line=1,
                message=f"the header says version {parsed.version}, which is already "
                f"published; this draft is labelled version {label} (change it before "
                "publishing if the document means something else)",
            )
        ]
    return parsed.version[:40], []


@transaction.atomic
def policy_draft_create(
    *,
    organisation: Organisation,
    parsed: ParsedPolicy,
    source_name: str,
    source_sha256: str = "",
    by: User | None,
    action: str = "policy.draft.create",
) -> PolicyVersion:
    """Store a parsed document as a draft: nothing changes for staff until it is published."""
    label, warnings = _label_for(organisation, parsed)
    warnings += parsed.warnings
    draft = PolicyVersion.objects.create(
        organisation=organisation,
        title=(parsed.title or "Social Media Policy")[:200],
        version=label,
        approved_on=parse_month_year(parsed.approved_on or ""),
        approved_by=(parsed.approved_by or "")[:120],
        next_review_on=parse_month_year(parsed.next_review or ""),
        status=PolicyVersion.Status.DRAFT,
        is_current=False,
        source_name=source_name[:255],
        source_sha256=source_sha256,
        imported_by=by,
        appendices=dict(parsed.appendix_text),
        based_on=PolicyVersion.objects.filter(organisation=organisation, is_current=True).first(),
        parse_warnings=[asdict(w) for w in sorted(warnings, key=lambda w: w.line)],
    )
    _store_content(draft, parsed)
    audit_record(
        actor=by,
        action=action,
        target=draft,
        details={
            "clauses": len(parsed.clauses),
            "source": source_name,
            "sha256": source_sha256,
            "warnings": len(warnings),
            "version": label,
        },
    )
    return draft


@transaction.atomic
def policy_version_import(
    *,
    organisation: Organisation,
    parsed: ParsedPolicy,
    source_name: str,
    source_sha256: str = "",
    make_current: bool = True,
    by: User | None,
) -> PolicyVersion:
    """The command line's import: a draft, published at once with the document's own header
    unless ``make_current`` is false. A header that cannot be published stops it, plainly."""
    if make_current and parsed.version and parsed.version in _published_labels(organisation):
        raise ApplicationError(
            f"{source_name}: version {parsed.version} is already published for "
            f"{organisation.name}. Change the version in the document's header, or import it "
            "with --not-current and publish it in the browser under another label.",
            code=ErrorCode.CONFLICT,
        )
    draft = policy_draft_create(
        organisation=organisation,
        parsed=parsed,
        source_name=source_name,
        source_sha256=source_sha256,
        by=by,
        action="policy.version.import",
    )
    if not make_current:
        return draft
    approved_on = draft.approved_on or timezone.localdate()
    return policy_version_publish(
        version=draft,
        by=by,
        label=draft.version,
        approved_on=approved_on,
        approved_by=draft.approved_by or DEFAULT_APPROVER,
        next_review_on=draft.next_review_on or policy_default_review_date(approved_on),
        allow_past_review=True,  # an old document's own review date: the dashboard says so
    )


def policy_default_review_date(approved_on: date) -> date:
    try:
        return approved_on.replace(year=approved_on.year + REVIEW_PERIOD_YEARS)
    except ValueError:  # 29 February
        return approved_on.replace(year=approved_on.year + REVIEW_PERIOD_YEARS, day=28)


def _copy_content(source: PolicyVersion, target: PolicyVersion) -> None:
    sections = {
        s.pk: PolicySection.objects.create(
            version=target, number=s.number, title=s.title, position=s.position
        )
        for s in source.sections.all()
    }
    Clause.objects.bulk_create(
        Clause(
            version=target,
            section=sections[c.section_id],
            number=c.number,
            text=c.text,
            obligation=c.obligation,
            position=c.position,
        )
        for c in source.clauses.all()
    )
