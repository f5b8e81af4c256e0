"""The organisation's list of agencies a concern can be referred to (A.5.6; issue 12.6).

Every organisation starts with the standard list (``Agency``: the Police, CEOP, children's social
care, the LADO, Early Help, CAMHS, health and "other"). The DSL adds the local ones (a named
family support service, a county's MASH) and retires any the school never uses; a retired agency
keeps the referrals already made to it. Only rows that differ from the standard list are stored,
so a new organisation needs nothing set up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from socialguard.accounts.models import SAFEGUARDING_ROLES, Organisation, User
from socialguard.accounts.selectors import has_role
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.safeguarding.models import Agency, ReferralAgency

CLAUSES = ("A.5.6",)
NAME_MAX = 120


@dataclass(frozen=True)
class AgencyChoice:
    code: str
    name: str
    active: bool
    standard: bool


def referral_agencies_of(*, organisation: Organisation) -> list[AgencyChoice]:
    """The whole list, standard entries first in their usual order, then the organisation's
    own by name; retired ones included (``active`` says which are offered)."""
    own = {row.code: row for row in ReferralAgency.objects.filter(organisation=organisation)}
    standard = [
        AgencyChoice(
            code=code,
            name=own[code].name if code in own else str(label),
            active=own[code].active if code in own else True,
            standard=True,
        )
        for code, label in Agency.choices
    ]
    added = [
        AgencyChoice(code=row.code, name=row.name, active=row.active, standard=False)
        for row in sorted(own.values(), key=lambda r: r.name.lower())
        if row.code not in Agency.values
    ]
    return standard + added


def agency_offered(*, organisation: Organisation, code: str) -> AgencyChoice | None:
    """The agency a referral may name now, or None when it is unknown or retired."""
    for choice in referral_agencies_of(organisation=organisation):
        if choice.code == code and choice.active:
            return choice
    return None


def _require_lead(by: User, organisation: Organisation) -> None:
    if by.organisation_id != organisation.pk or not has_role(by, *SAFEGUARDING_ROLES):
        raise ApplicationError(
            "Only the safeguarding leads keep the list of agencies.", code=ErrorCode.FORBIDDEN
        )


def _audit(by: User, organisation: Organisation, verb: str, choice: AgencyChoice) -> None:
    audit_record(
        actor=by,
        action=f"safeguarding.agency.{verb}",
        target=None,
        clauses=CLAUSES,
        organisation_id=organisation.pk,
        details={"code": choice.code, "name": choice.name},
    )


@transaction.atomic
def referral_agency_add(*, organisation: Organisation, by: User, name: str) -> AgencyChoice:
    """Add an agency to the organisation's list; the name must be new to the list."""
    _require_lead(by, organisation)
    name = " ".join(name.split())
    if not name:
        raise ApplicationError("Give the agency's name.", code=ErrorCode.INVALID)
    if len(name) > NAME_MAX:
        raise ApplicationError(
            f"Keep the agency's name to {NAME_MAX} characters.", code=ErrorCode.INVALID
        )
    current = referral_agencies_of(organisation=organisation)
    if any(choice.name.casefold() == name.casefold() for choice in current):
        raise ApplicationError(f"'{name}' is already on the list.", code=ErrorCode.INVALID)
    base = slugify(name)[:30] or "agency"
    taken = {choice.code for choice in current}
    code, n = f"own-{base}", 2
    while code in taken:
        code, n = f"own-{base}-{n}", n + 1
    ReferralAgency.objects.create(organisation=organisation, code=code, name=name, added_by=by)
    choice = AgencyChoice(code=code, name=name, active=True, standard=False)
    _audit(by, organisation, "added", choice)
    return choice


@transaction.atomic
def referral_agency_set_active(
    *, organisation: Organisation, by: User, code: str, active: bool
) -> AgencyChoice:
    """Retire an agency (no longer offered; its referrals keep its name) or bring it back."""
    _require_lead(by, organisation)
    known = {c.code: c for c in referral_agencies_of(organisation=organisation)}
    if code not in known:
        raise ApplicationError("That agency is not on the list.", code=ErrorCode.NOT_FOUND)
    if not active and sum(c.active for c in known.values()) == 1 and known[code].active:
        raise ApplicationError("Keep at least one agency on the list.", code=ErrorCode.INVALID)
    row, _ = ReferralAgency.objects.select_for_update().get_or_create(
        organisation=organisation,
        code=code,
        defaults={"name": known[code].name, "added_by": by},
    )
    row.active = active
    row.save(update_fields=["active"])
    choice = AgencyChoice(code=code, name=row.name, active=active, standard=known[code].standard)
    _audit(by, organisation, "restored" if active else "retired", choice)
    return choice
