"""Importing policy versions and acknowledging them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import IntegrityError, transaction

from socialguard.accounts.models import Organisation, User
from socialguard.accounts.selectors import is_staff_member, staff_members_of
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit
from socialguard.policy.models import Acknowledgement, Clause, PolicySection, PolicyVersion
from socialguard.policy.parser import (
    ParsedPolicy,
    PolicyParseError,
    parse_month_year,
    parse_policy_text,
    read_policy_file,
)


def policy_file_parse(*, path: Path) -> tuple[ParsedPolicy, str]:
    """Read and parse a .txt, .md or .docx policy; errors name the line that failed."""
    if not path.is_file():
        raise ApplicationError(f"{path}: no such file.", code=ErrorCode.NOT_FOUND)
    try:
        text = read_policy_file(path=path)
        parsed = parse_policy_text(text=text, source_name=path.name)
    except PolicyParseError as error:
        raise ApplicationError(f"{path.name}: {error}", code=ErrorCode.POLICY_PARSE) from error
    return parsed, hashlib.sha256(path.read_bytes()).hexdigest()


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
    """Store a parsed policy as a new version; the previous current version stays as history."""
    if make_current:
        PolicyVersion.objects.filter(organisation=organisation, is_current=True).update(
            is_current=False
        )
    version = PolicyVersion.objects.create(
        organisation=organisation,
        title=parsed.title or "Social Media Policy",
        version=parsed.version or "1",
        approved_on=parse_month_year(parsed.approved_on or ""),
        approved_by=parsed.approved_by or "",
        next_review_on=parse_month_year(parsed.next_review or ""),
        is_current=make_current,
        source_name=source_name,
        source_sha256=source_sha256,
        imported_by=by,
        appendices=dict(parsed.appendix_text),
    )
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
    if make_current:
        _ask_staff_to_acknowledge(version=version)
    audit_record(
        actor=by,
        action="policy.version.import",
        target=version,
        details={"clauses": len(parsed.clauses), "source": source_name, "sha256": source_sha256},
    )
    return version


def _ask_staff_to_acknowledge(*, version: PolicyVersion) -> None:
    """2.1: a new current version must be read by every staff member; tell them after commit."""
    email_after_commit(
        recipients=staff_members_of(organisation=version.organisation),
        subject=f"Please read and acknowledge the {version.title} (version {version.version})",
        template="policy/email/acknowledge_request.txt",
        context={"version": version, "organisation": version.organisation},
        organisation_id=version.organisation_id,
        category="policy.acknowledge_request",
    )


@transaction.atomic
def policy_acknowledge(*, person: User, version: PolicyVersion) -> Acknowledgement:
    """2.1: every staff member confirms they have read the current policy."""
    if person.organisation_id != version.organisation_id:
        raise ApplicationError(
            "This policy belongs to another organisation.", code=ErrorCode.FORBIDDEN
        )
    if not version.is_current:
        raise ApplicationError(
            "This version has been replaced; please read and acknowledge the current one.",
            code=ErrorCode.CONFLICT,
        )
    if not is_staff_member(person):
        raise ApplicationError(
            "Only staff members (2.1) acknowledge the policy.", code=ErrorCode.FORBIDDEN
        )
    existing = Acknowledgement.objects.filter(person=person, version=version).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(person=person, version=version)
    except IntegrityError:  # a double click that raced itself
        return Acknowledgement.objects.get(person=person, version=version)
    audit_record(
        actor=person,
        action="policy.acknowledge",
        target=version,
        clauses=["2.1"],
        details={"version": version.version},
    )
    return ack
