from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from socialguard.sites.models import Site
from socialguard.sites.services import site_proposal_save

GOOD_PROPOSAL: dict[str, Any] = {
    "name": "Year 4 Science Blog",
    "department": "Year 4",
    "purpose": "A place for Year 4 to share science investigations with families, so that "
    "learning continues at home and parents see the work.",
    "aims": "Pupils write about investigations\nFamilies comment on work",
    "proposed_content": "Photos of experiments (no faces), short write-ups.",
    "audience": ["pupils", "families"],
    "contributors": ["pupils", "staff"],
    "host": Site.Host.SCHOOL,
    "consent_plan": "Letter home with an opt-in form before any pupil posts.",
    "security_measures": "Members are invited by class teachers; every post is pre-moderated.",
    "home_office_checklist_reviewed": True,
}


def proposal(cast, **overrides: Any) -> Site:  # type: ignore[no-untyped-def]
    today = date.today()
    data = {
        **GOOD_PROPOSAL,
        "go_live_on": today + timedelta(days=14),
        "closure_on": today + timedelta(days=300),
        **overrides,
    }
    admins = overrides.pop("administrators", [cast.teacher, cast.line_manager])
    mods = overrides.pop("moderators", [cast.comms, cast.deputy_dsl])
    data.pop("administrators", None)
    data.pop("moderators", None)
    return site_proposal_save(
        site=None, by=cast.teacher, data=data, administrators=admins, moderators=mods
    )
