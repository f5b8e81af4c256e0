"""What the writes to reports and cases share: references, the clauses a record cites, who
is told, and the limits."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import models
from django.urls import reverse

from socialguard.accounts.models import Organisation, Role, School, User
from socialguard.accounts.selectors import people_with_role
from socialguard.cases.models import (
    BreachCase,
    BreachReport,
    CaseEntry,
    Outcome,
)
from socialguard.cases.selectors import clause_numbers
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit

# Letters and digits that cannot be mistaken for one another when read out or copied.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# Under the Disciplinary Policy and Procedure (9.1) a sanction follows a hearing.
NEEDS_HEARING = frozenset({Outcome.WARNING, Outcome.DISCIPLINARY, Outcome.DISMISSAL})
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def new_reference(prefix: str, model: type[models.Model]) -> str:
    """'BR-7KQ2-X9PD': 40 random bits, so a code cannot be guessed from another."""
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"{prefix}-{code[:4]}-{code[4:]}"
        if not model._default_manager.filter(reference=reference).exists():
            return reference


def _required(value: str, message: str) -> str:
    if not value or not value.strip():
        raise ApplicationError(message, code=ErrorCode.INVALID)
    return value.strip()


def _clauses(organisation: Organisation, numbers: Iterable[str]) -> list[str]:
    known = {number for number, _ in clause_numbers(organisation=organisation)}
    chosen = sorted({n.strip() for n in numbers if n and n.strip()})
    unknown = [n for n in chosen if n not in known]
    if unknown:
        raise ApplicationError(
            f"{', '.join(unknown)} is not a clause of the current policy.", code=ErrorCode.INVALID
        )
    return chosen


def handlers_to_tell(organisation: Organisation, school: School | None) -> list[User]:
    return list(
        people_with_role(organisation=organisation, roles=[Role.HEAD_TEACHER], school=school)
    )


def head_matter_handlers(organisation: Organisation) -> list[User]:
    """Who handles a matter about a head teacher: the governors, never anyone who holds a
    head-teacher role (a federation has several heads). People a head named as case handlers
    are not among them: a head must not choose who judges the head."""
    heads = people_with_role(organisation=organisation, roles=[Role.HEAD_TEACHER])
    governors = people_with_role(organisation=organisation, roles=[Role.GOVERNOR])
    return list(
        User.objects.filter(
            pk__in=governors.values("pk"),
            organisation=organisation,
            is_active=True,
        )
        .exclude(pk__in=heads.values("pk"))
        .order_by("pk")
    )


def _tell_about_new_report(report: BreachReport) -> None:
    """Who hears of a new report: a link, never what it says. One about the head teacher goes
    to the governors; when no governor is set up, the administrators are told that one is
    waiting, so that they set one up (and still not what it says)."""
    organisation = report.organisation
    context = {"report": report, "link": reverse("cases:report", args=[report.pk])}
    if not report.about_head_teacher:
        recipients = handlers_to_tell(organisation, report.school)
    else:
        recipients = head_matter_handlers(organisation)
    if recipients:
        email_after_commit(
            recipients=recipients,
            subject=f"A breach report is waiting to be triaged: {report.reference}",
            template="cases/email/report_waiting.txt",
            context=context,
            organisation_id=organisation.pk,
            category="cases.report.new",
        )
        return
    if report.about_head_teacher:
        admins = people_with_role(organisation=organisation, roles=[Role.ADMINISTRATOR])
        heads = people_with_role(organisation=organisation, roles=[Role.HEAD_TEACHER])
        email_after_commit(
            # An administrator who is also a head teacher is not told: it could be about them.
            recipients=admins.exclude(pk__in=heads.values("pk")),
            subject="A breach report about the head teacher is waiting: no governor is set up",
            template="cases/email/report_no_governor.txt",
            context=context,
            organisation_id=organisation.pk,
            category="cases.report.no_governor",
        )


def _entry(case: BreachCase, kind: str, body: str, author: User) -> CaseEntry:
    return CaseEntry.objects.create(case=case, kind=kind, body=body, author=author)
