"""Demo official sites in several states, made through the real services (so every step is
audited and e-mailed like the real thing): live with full cover, live with a moderator on
leave (so short of cover), awaiting the head teacher, and closed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from socialguard.accounts.models import Organisation, User
from socialguard.approvals.services import approval_decide
from socialguard.sites.models import Site
from socialguard.sites.services import (
    site_close,
    site_document_publish,
    site_go_live,
    site_proposal_save,
    site_proposal_submit,
)
from socialguard.sites.staffing import absence_record

TERMS = (
    "This site is run by Roselands & Stafford Federation for its pupils and families. Every post "
    "and comment is checked by a moderator before it appears. Pupils are shown by first name and "
    "initial only. Do not share personal contact details."
)
RULES = (
    "1. Be kind and respectful.\n"
    "2. Use first names only; never a pupil's full name.\n"
    "3. No phone numbers, addresses or e-mail addresses.\n"
    "4. No photos of other people's children.\n"
    "5. Moderators remove anything that breaks these rules, and say why."
)


def _sign(request: Any, person: User) -> None:
    approval_decide(
        request=request,
        approver=person,
        decision="approve",
        signature_method="typed_name",
        signature=person.get_full_name(),
    )


def _propose(people: dict[str, User], owner: str, name: str, **extra: Any) -> Site:
    today = date.today()
    moderators = [people[name] for name in extra.pop("moderators", ("comms", "deputydsl"))]
    data = {
        "name": name,
        "department": extra.pop("department", "Key Stage 2"),
        "purpose": extra.pop(
            "purpose", "To share pupils' learning with families so they can talk about it at home."
        ),
        "aims": extra.pop(
            "aims", "Families see and comment on pupils' work\nPupils write for a real audience"
        ),
        "proposed_content": "Class news and photos of work (no faces without consent).",
        "audience": ["pupils", "families", "staff"],
        "contributors": ["pupils", "staff", "families"],
        "vetter": people["deputydsl"],
        "host": Site.Host.SCHOOL,
        "go_live_on": today - timedelta(days=7),
        "closure_on": today + timedelta(days=240),
        "review_on": today + timedelta(days=90),
        "advertising_plan": "Letter home and the school newsletter.",
        "consent_plan": "Parents opt in on a consent form before their child posts or appears.",
        "security_measures": "Members are invited and vetted; every post is pre-moderated.",
        "home_office_checklist_reviewed": True,
        **extra,
    }
    admins = [people[owner], people["linemanager"] if owner != "linemanager" else people["teacher"]]
    return site_proposal_save(
        site=None,
        by=people[owner],
        data=data,
        administrators=admins,
        moderators=moderators,
    )


def _approve_and_launch(site: Site, people: dict[str, User], owner: str) -> Site:
    request = site_proposal_submit(site=site, by=people[owner])
    manager = people[owner].line_manager
    assert manager is not None
    for approver in (manager, people["comms"], people["head"]):
        _sign(request, approver)
    site_document_publish(site=site, kind="terms", text=TERMS, by=people[owner])
    site_document_publish(site=site, kind="house_rules", text=RULES, by=people[owner])
    return site_go_live(site=site, by=people[owner])


def load_demo_sites(organisation: Organisation, people: dict[str, User]) -> None:
    _approve_and_launch(
        _propose(people, "teacher", "Year 4 Learning Blog", moderators=("comms", "ta")),
        people,
        "teacher",
    )
    covered = _approve_and_launch(
        _propose(people, "linemanager", "Stafford Sports News", department="PE"),
        people,
        "linemanager",
    )
    today = date.today()
    absence_record(
        user=people["deputydsl"],
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=10),
        reason="Leave",
        by=people["deputydsl"],
    )
    assert covered.pk
    waiting = site_proposal_submit(
        site=_propose(
            people,
            "teacher2",
            "Year 1 Phonics Corner",
            department="Key Stage 1",
            go_live_on=today + timedelta(days=21),
            closure_on=today + timedelta(days=300),
        ),
        by=people["teacher2"],
    )
    _sign(waiting, people["deputydsl"])  # teacher2's line manager
    _sign(waiting, people["comms"])
    closed = _approve_and_launch(
        _propose(people, "teacher", "Summer Reading Challenge 2026", department="Library"),
        people,
        "teacher",
    )
    site_close(
        site=closed,
        by=people["teacher"],
        reason="The challenge ended in September; evaluated at review.",
    )
