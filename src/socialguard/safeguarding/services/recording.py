"""Recording a concern (A.2.3): the reference, the pupils, the notice to the leads and to the
school's own safeguarding system."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import SAFEGUARDING_ROLES, Organisation, School, User
from socialguard.accounts.selectors import has_role, people_with_role
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit
from socialguard.safeguarding import selectors
from socialguard.safeguarding.models import (
    Concern,
    ConcernPupil,
    Escalation,
)
from socialguard.safeguarding.permissions import may_report
from socialguard.safeguarding.services._common import (
    CLOCK_SKEW,
    _audit,
    _text,
    categories_clean,
)
from socialguard.safeguarding.services.chronology import _evidence_from_upload
from socialguard.screening import categories as registry


def _next_reference(organisation_id: int, year: int) -> str:
    """SG-2026-0007: numbered per organisation and year. Locking the organisation's row
    serialises numbering, so two concerns recorded at once never share a reference."""
    list(Organisation.objects.select_for_update().filter(pk=organisation_id).values_list("pk"))
    prefix = f"SG-{year}-"
    taken = Concern.objects.filter(
        organisation_id=organisation_id, reference__startswith=prefix
    ).values_list("reference", flat=True)
    numbers = [int(ref.removeprefix(prefix)) for ref in taken if ref.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _check_pupils(organisation: Organisation, pupils: Sequence[User]) -> None:
    ids = {pupil.pk for pupil in pupils}
    known = set(
        selectors.pupils_of(organisation=organisation)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    if ids - known:
        raise ApplicationError(
            "Choose pupils of your own schools from the list, or write the name under "
            "“pupil not on the list”.",
            code=ErrorCode.INVALID,
        )


def category_label(code: str) -> str:
    """The registry's words for a concern's category ('other' included)."""
    return registry.safeguarding_codes().get(code) or registry.label(code)


@dataclass(frozen=True)
class ConcernNotice:
    """All that leaves safeguarding when a concern is recorded, for another system the school
    uses (its CPOMS or MyConcern): the categories, the time and a link. Never the account,
    never a name, never the reporter."""

    organisation_id: int
    categories: tuple[str, ...]
    recorded_at: datetime
    link: str


ConcernHook = Callable[[ConcernNotice], None]
_CONCERN_HOOKS: list[ConcernHook] = []


def register_concern_hook(hook: ConcernHook) -> ConcernHook:
    """Other apps (integrations: the school's webhook) hear of each new concern through this;
    the hook runs inside the recording transaction and sends nothing before it commits."""
    if hook not in _CONCERN_HOOKS:
        _CONCERN_HOOKS.append(hook)
    return hook


def tell_recorded(concern: Concern, organisation: Organisation) -> None:
    """A.2.3: the DSL and deputies are told at once. Category and link only: never the
    account, never a pupil's name (CPOMS)."""
    notice = ConcernNotice(
        organisation_id=concern.organisation_id,
        categories=tuple(category_label(c) for c in concern.categories),
        recorded_at=concern.created_at,
        link=reverse("safeguarding:concern", args=[concern.pk]),
    )
    for hook in _CONCERN_HOOKS:
        hook(notice)
    leads = people_with_role(
        organisation=organisation, roles=SAFEGUARDING_ROLES, school=concern.school
    )
    labels = [category_label(c) for c in concern.categories]
    email_after_commit(
        recipients=leads,
        subject=f"Safeguarding concern recorded: {labels[0]}",
        template="safeguarding/email/concern_recorded.txt",
        context={
            "labels": labels,
            "link": reverse("safeguarding:concern", args=[concern.pk]),
            "at": concern.created_at,
        },
        organisation_id=concern.organisation_id,
        category="safeguarding.concern",
    )


def create_concern(
    *,
    by: User,
    organisation: Organisation,
    school: School | None,
    occurred_at: datetime,
    location: str,
    account: str,
    child_words: str,
    categories: list[str],
    pupils: Sequence[User],
    unlisted_pupils: Sequence[str],
    source: str,
    escalation: Escalation | None = None,
) -> Concern:
    concern = Concern.objects.create(
        organisation=organisation,
        school=school,
        reference=_next_reference(organisation.pk, timezone.localdate().year),
        reporter=by,
        occurred_at=occurred_at,
        location=location.strip()[:200],
        account=account,
        child_words=child_words.strip(),
        categories=categories,
        source=source,
        escalation=escalation,
    )
    ConcernPupil.objects.bulk_create(
        [ConcernPupil(concern=concern, pupil=pupil) for pupil in pupils]
        + [ConcernPupil(concern=concern, name_if_not_listed=name) for name in unlisted_pupils]
    )
    return concern


@transaction.atomic
def concern_record(
    *,
    by: User,
    account: str,
    occurred_at: datetime,
    categories: Sequence[str],
    pupils: Sequence[User] = (),
    unlisted_pupils: Sequence[str] = (),
    child_words: str = "",
    location: str = "",
    school: School | None = None,
    upload: UploadedFile | None = None,
    upload_description: str = "",
) -> Concern:
    """Any staff member records a concern (2.1, A.2.3). They see a receipt, not the record."""
    if not may_report(by) or by.organisation is None:
        raise ApplicationError(
            "Only staff members record safeguarding concerns here. Tell the DSL in person.",
            code=ErrorCode.FORBIDDEN,
        )
    organisation = by.organisation
    account = _text(account, "what happened, in your own words")
    chosen = categories_clean(categories)
    unlisted = [name.strip()[:200] for name in unlisted_pupils if name.strip()]
    if not pupils and not unlisted:
        raise ApplicationError(
            "Say which pupil the concern is about: choose from the list or write the name.",
            code=ErrorCode.INVALID,
        )
    _check_pupils(organisation, pupils)
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > timezone.now() + CLOCK_SKEW:
        raise ApplicationError("When it happened cannot be in the future.", code=ErrorCode.INVALID)
    if school is None:
        school = next((p.school for p in pupils if p.school_id), None) or by.school
    concern = create_concern(
        by=by,
        organisation=organisation,
        school=school,
        occurred_at=occurred_at,
        location=location,
        account=account,
        child_words=child_words,
        categories=chosen,
        pupils=pupils,
        unlisted_pupils=unlisted,
        source=Concern.Source.FORM,
    )
    if upload is not None:
        _evidence_from_upload(concern, by, upload, upload_description)
    if has_role(by, *SAFEGUARDING_ROLES):
        # A safeguarding lead who records a concern has seen it: nothing to escalate.
        concern.acknowledged_at, concern.acknowledged_by = concern.created_at, by
        concern.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _audit(
        by,
        concern,
        "recorded",
        source=concern.source,
        categories=chosen,
        school=concern.school_id,
        pupils=len(pupils) + len(unlisted),
        evidence=1 if upload is not None else 0,
    )
    tell_recorded(concern, organisation)
    return concern
