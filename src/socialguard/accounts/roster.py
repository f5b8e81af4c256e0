"""The roster the screening engine uses: who the pupils and staff are, and the organisation's
own published contact details (which the engine allows)."""

from __future__ import annotations

from typing import Any

from socialguard.accounts.models import Organisation, Role, RoleAssignment
from socialguard.accounts.selectors import schools_of, staff_members_of


def roster_for(*, organisation: Organisation) -> dict[str, Any]:
    schools = list(schools_of(organisation=organisation))
    pupils = (
        RoleAssignment.objects.filter(
            organisation=organisation, role=Role.PUPIL, ends_on__isnull=True
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    staff = staff_members_of(organisation=organisation).order_by("last_name", "first_name")
    return {
        "organisation": organisation.name,
        "schools": [s.name for s in schools],
        "email_domains": list(organisation.email_domains),
        "official_phones": list(organisation.official_phones)
        + [s.phone for s in schools if s.phone],
        "official_addresses": list(organisation.official_addresses)
        + [s.address for s in schools if s.address],
        "pupils": [
            {"first": a.user.first_name, "last": a.user.last_name, "year": a.year_group}
            for a in pupils
        ],
        "staff": [
            {"first": p.first_name, "last": p.last_name, "position": p.position} for p in staff
        ],
    }
