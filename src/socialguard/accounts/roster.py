"""The roster the screening engine uses: who the pupils and staff are, and the organisation's
own published contact details (which the engine allows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache

from socialguard.accounts.models import Organisation, Role, RoleAssignment
from socialguard.accounts.selectors import schools_of, staff_members_of

# Other apps add the names a pupil also goes by (the MIS's preferred names: integrations), so
# that the engine recognises "Alfie" as well as the legal "Alfred". A provider gets the
# organisation and returns {user id: [(first, last), ...]}.
NamesProvider = Callable[[Organisation], dict[int, list[tuple[str, str]]]]
_NAMES_PROVIDERS: list[NamesProvider] = []


def register_names_provider(provider: NamesProvider) -> NamesProvider:
    if provider not in _NAMES_PROVIDERS:
        _NAMES_PROVIDERS.append(provider)
    return provider


def roster_cache_key(organisation_id: int) -> str:
    """Where the screening roster of an organisation is cached (community reads it per post)."""
    return f"socialguard:roster:{organisation_id}"


def roster_forget(*, organisation_id: int) -> None:
    """The roster changed: the next post is screened against the new one."""
    cache.delete(roster_cache_key(organisation_id))


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
    also: dict[int, list[tuple[str, str]]] = {}
    for provider in _NAMES_PROVIDERS:
        for user_id, names in provider(organisation).items():
            also.setdefault(user_id, []).extend(names)
    return {
        "organisation": organisation.name,
        "schools": [s.name for s in schools],
        "email_domains": list(organisation.email_domains),
        "official_phones": list(organisation.official_phones)
        + [s.phone for s in schools if s.phone],
        "official_addresses": list(organisation.official_addresses)
        + [s.address for s in schools if s.address],
        "pupils": [
            {"first": first, "last": last, "year": a.year_group}
            for a in pupils
            for first, last in _names(a.user.first_name, a.user.last_name, also.get(a.user_id))
        ],
        "staff": [
            {"first": p.first_name, "last": p.last_name, "position": p.position} for p in staff
        ],
    }


def _names(first: str, last: str, also: list[tuple[str, str]] | None) -> list[tuple[str, str]]:
    names = [(first, last)]
    for other in also or []:
        name = (other[0] or first, other[1] or last)
        if name not in names:
            names.append(name)
    return names
