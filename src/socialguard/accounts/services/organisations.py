"""Organisations and their schools."""

from __future__ import annotations

from django.db import transaction

from socialguard.accounts.models import (
    Organisation,
    School,
    User,
)
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode


@transaction.atomic
def organisation_create(
    *,
    name: str,
    slug: str,
    kind: str = Organisation.Kind.FEDERATION,
    website: str = "",
    email_domains: list[str] | None = None,
    official_phones: list[str] | None = None,
    official_addresses: list[str] | None = None,
    by: User | None,
) -> Organisation:
    if Organisation.objects.filter(slug=slug).exists():
        raise ApplicationError(
            f"An organisation called '{slug}' already exists.", code=ErrorCode.CONFLICT
        )
    organisation = Organisation.objects.create(
        name=name,
        slug=slug,
        kind=kind,
        website=website,
        email_domains=email_domains or [],
        official_phones=official_phones or [],
        official_addresses=official_addresses or [],
    )
    audit_record(actor=by, action="accounts.organisation.create", target=organisation)
    return organisation


@transaction.atomic
def school_create(
    *,
    organisation: Organisation,
    name: str,
    slug: str,
    website: str = "",
    phone: str = "",
    address: str = "",
    by: User | None,
) -> School:
    school = School.objects.create(
        organisation=organisation,
        name=name,
        slug=slug,
        website=website,
        phone=phone,
        address=address,
    )
    audit_record(actor=by, action="accounts.school.create", target=school)
    return school
