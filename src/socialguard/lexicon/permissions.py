"""Who keeps which list (need to know, A.2.3; House Rules, A.4.1).

- The safeguarding phrase library and the example sentences are the safeguarding leads' (the
  DSL and deputies) alone: nobody else learns that they exist (404).
- A site's watched words are kept by whoever runs the site: its owner and its active
  administrators. Everyone else gets 404 for the site's page.
"""

from __future__ import annotations

from typing import Any

from socialguard.accounts.models import SAFEGUARDING_ROLES
from socialguard.accounts.selectors import has_role
from socialguard.sites.models import Site, SiteRole


def keeps_safeguarding_lists(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and has_role(user, *SAFEGUARDING_ROLES)


def runs_site(user: Any, site: Site) -> bool:
    if not getattr(user, "is_authenticated", False) or user.organisation_id != site.organisation_id:
        return False
    if site.owner_id == user.pk:
        return True
    return SiteRole.objects.filter(
        site=site, user=user, role=SiteRole.Role.ADMINISTRATOR, active=True
    ).exists()


def sites_run_by(user: Any) -> Any:
    """The school-hosted sites whose House Rules this person keeps."""
    from django.db.models import Q

    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Site.objects.none()
    runs = Q(owner=user) | Q(
        roles__user=user, roles__role=SiteRole.Role.ADMINISTRATOR, roles__active=True
    )
    return (
        Site.objects.filter(runs, organisation_id=user.organisation_id, host=Site.Host.SCHOOL)
        .distinct()
        .order_by("name")
    )
