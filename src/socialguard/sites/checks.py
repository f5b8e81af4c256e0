"""Checks a proposal must pass before it is submitted, each naming its clause.

Pure functions over the site and its proposed roles, so the form can show every problem at once
and the submit service can refuse with the same list.
"""

from __future__ import annotations

from dataclasses import dataclass

from socialguard.accounts.selectors import is_staff_member
from socialguard.sites.models import Audience, Site, SiteRole

YOUNGEST_PUPIL_AGE = 4  # Reception; the federation's pupils are R to Year 6, aged 4 to 11
MIN_PURPOSE_LENGTH = 40


@dataclass(frozen=True)
class Problem:
    field: str
    clauses: tuple[str, ...]
    message: str


def _roles(site: Site, role: str) -> list[SiteRole]:
    return [r for r in site.roles.all() if r.role == role and r.active]


def _staffing(site: Site) -> list[Problem]:
    problems = []
    for role, label, field in (
        (SiteRole.Role.ADMINISTRATOR, "administrators", "administrators"),
        (SiteRole.Role.MODERATOR, "moderators", "moderators"),
    ):
        people = _roles(site, role)
        if len(people) < 2:
            problems.append(Problem(field, ("A.5.4",), f"Name at least two approved {label}."))
        outsiders = [str(r.user) for r in people if not is_staff_member(r.user) or r.user.has_left]
        if outsiders:
            problems.append(
                Problem(
                    field,
                    ("A.3.1",),
                    f"{', '.join(outsiders)} cannot be among the {label}: they must be employees "
                    "or other authorised people of the federation.",
                )
            )
    return problems


def _dates(site: Site) -> list[Problem]:
    if site.go_live_on is None or site.closure_on is None:
        return [
            Problem(
                "closure_on",
                ("A.1.6",),
                "Give a go-live date and a closure date: every "
                "site needs an exit plan from the outset.",
            )
        ]
    if site.closure_on <= site.go_live_on:
        return [
            Problem("closure_on", ("A.1.6",), "The closure date must be after the go-live date.")
        ]
    return []


def _children(site: Site) -> list[Problem]:
    problems = []
    pupils = Audience.PUPILS in site.audience or Audience.PUPILS in site.contributors
    if (Audience.PUPILS in site.contributors or site.contributors_have_learning_disabilities) and (
        not site.consent_plan.strip()
    ):
        problems.append(
            Problem(
                "consent_plan",
                ("A.2.1",),
                "Say how parents or responsible adults will be informed and asked for consent.",
            )
        )
    if site.host == Site.Host.THIRD_PARTY:
        if not site.host_name.strip():
            problems.append(Problem("host_name", ("A.3.2",), "Name the third-party host."))
        if site.host_min_age is None:
            problems.append(
                Problem(
                    "host_min_age",
                    ("A.2.5",),
                    "Give the host's minimum age from its terms (often 13).",
                )
            )
        elif pupils and site.host_min_age > YOUNGEST_PUPIL_AGE:
            problems.append(
                Problem(
                    "host_min_age",
                    ("A.2.5", "7.3"),
                    (
                        f"{site.host_name or 'This host'} requires users to be "
                        f"{site.host_min_age} or older, but the site is for pupils from "
                        f"Reception to Year 6 (aged {YOUNGEST_PUPIL_AGE} to 11). Choose a "
                        "school-hosted site or another host."
                    ),
                )
            )
    if pupils and not site.home_office_checklist_reviewed:
        problems.append(
            Problem(
                "home_office_checklist_reviewed",
                ("A.2.4",),
                "Confirm you have checked the site against the Home Office good-practice guidance.",
            )
        )
    return problems


def _content(site: Site) -> list[Problem]:
    problems = []
    if len(site.purpose.strip()) < MIN_PURPOSE_LENGTH:
        problems.append(
            Problem(
                "purpose",
                ("7.2", "A.1.2"),
                "Describe the pedagogical or business "
                "reason for the site (a sentence or two at least).",
            )
        )
    if not site.aims_list:
        problems.append(
            Problem(
                "aims",
                ("A.1.7",),
                "List the aims, one per line: the site is evaluated against them at review.",
            )
        )
    if not site.audience:
        problems.append(Problem("audience", ("A.1.3",), "Tick at least one audience."))
    if not site.contributors:
        problems.append(
            Problem("contributors", ("A.1.3",), "Tick at least one group of contributors.")
        )
    for field, chosen, detail in (
        ("audience_other", site.audience, site.audience_other),
        ("contributors_other", site.contributors, site.contributors_other),
    ):
        if Audience.OTHERS in chosen and not detail.strip():
            problems.append(Problem(field, ("A.1.3",), "You ticked 'Others': say who."))
    external = {Audience.FAMILIES, Audience.EXTERNAL_ORGS, Audience.PUBLIC, Audience.OTHERS}
    if external.intersection(site.contributors) and site.vetter_id is None:
        problems.append(
            Problem(
                "vetter",
                ("A.2.6", "A.5.7"),
                "Name who will vet external contributors before they are approved.",
            )
        )
    if not site.security_measures.strip():
        problems.append(
            Problem(
                "security_measures",
                ("A.5.7",),
                "Describe how you will keep unwanted or unsuitable people from joining.",
            )
        )
    return problems


def site_proposal_problems(site: Site) -> list[Problem]:
    problems = [] if site.name.strip() else [Problem("name", ("A.3.6",), "Give the site a name.")]
    if site.line_manager_id is None:
        problems.append(
            Problem(
                "line_manager",
                ("A.3.2",),
                "Your line manager is not recorded; ask your administrator to add them.",
            )
        )
    return problems + _content(site) + _staffing(site) + _dates(site) + _children(site)
