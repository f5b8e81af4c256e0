"""The 8.2 acceptable-use notice: the current version, publishing a new one, accepting it, and
who has not yet accepted the current one.

Staff members (2.1) and pupils use the school's ICT, so they accept it; family members and
external organisations only contribute to the school's sites from their own devices and are not
asked. Until a person has accepted the current version they are sent to it after signing in
(``middleware.AcceptableUseMiddleware``, on unless ``SOCIALGUARD_AUP_REQUIRED=0``)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from socialguard.accounts.models import STAFF_ROLES, Organisation, Role, RoleAssignment, User
from socialguard.accounts.selectors import _current, has_role
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.monitoring.models import AcceptableUseNotice, NoticeAcceptance

MAX_TEXT = 20_000
CLAUSES = ("8.1", "8.2")
ASKED_ROLES = (*STAFF_ROLES, Role.PUPIL)

# Written for this project from policy 8.1 and 8.2; the school's IT lead may reword it.
SHIPPED_TEXT = """\
Using the school's computers, network, internet and e-mail

The school's ICT (its computers, tablets, Wi-Fi, internet connection and e-mail) is provided \
for school work. The school checks how these services are used, and it does so without telling \
anyone first and without asking permission each time (policy 8.1).

That means you should not expect anything you make, keep, send or receive on the school's ICT \
to be private (policy 8.2). This includes the websites you visit and what you search for, the \
e-mails you send and receive through the school, and the files you save on school devices or \
accounts.

What the school looks for, and why:
- staff members using personal social media during their working hours (6.13);
- edits to open encyclopaedias such as Wikipedia made from the school's network (6.11);
- pupils' searches that suggest a child may be at risk, so that a safeguarding lead can help \
(A.2.3).

Only the IT / monitoring lead and the head teacher see what is found about staff; findings \
about pupils are also seen by the safeguarding leads. Governors see totals only, never names.

If you have a question about this notice, ask the IT / monitoring lead or the head teacher."""


def is_asked(user: User) -> bool:
    """Does this person accept the notice (staff members and pupils)?"""
    return bool(user.organisation_id) and has_role(user, *ASKED_ROLES)


def notice_current(*, organisation: Organisation) -> AcceptableUseNotice:
    """The organisation's current version; the first is written from the shipped text."""
    found = AcceptableUseNotice.objects.filter(organisation=organisation).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            notice = AcceptableUseNotice.objects.create(
                organisation=organisation, version=1, text=SHIPPED_TEXT, published_at=timezone.now()
            )
            audit_record(
                actor=None,
                action="monitoring.notice.publish",
                target=notice,
                clauses=CLAUSES,
                organisation_id=organisation.pk,
                details={"version": 1, "shipped_text": True},
            )
    except IntegrityError:  # two first requests at once: the other one wrote it
        return AcceptableUseNotice.objects.get(organisation=organisation, version=1)
    return notice


def notice_publish(*, organisation: Organisation, by: User, text: str) -> AcceptableUseNotice:
    """A new version: everyone asked accepts it again (8.2)."""
    text = text.strip().replace("\r\n", "\n")
    if not text:
        raise ApplicationError("Write the text of the notice.", code=ErrorCode.INVALID)
    if len(text) > MAX_TEXT:
        raise ApplicationError(
            f"Keep the notice under {MAX_TEXT:,} characters.", code=ErrorCode.INVALID
        )
    with transaction.atomic():
        current = notice_current(organisation=organisation)
        AcceptableUseNotice.objects.select_for_update().filter(pk=current.pk).first()
        if text == current.text:
            raise ApplicationError(
                "The text is the same as the current version: change it to publish a new one.",
                code=ErrorCode.INVALID,
            )
        notice = AcceptableUseNotice.objects.create(
            organisation=organisation,
            version=current.version + 1,
            text=text,
            published_at=timezone.now(),
            published_by=by,
        )
        audit_record(
            actor=by,
            action="monitoring.notice.publish",
            target=notice,
            clauses=CLAUSES,
            details={"version": notice.version},
        )
    return notice


def notice_accepted(*, notice: AcceptableUseNotice, user: User) -> bool:
    return NoticeAcceptance.objects.filter(notice=notice, user=user).exists()


@transaction.atomic
def notice_accept(*, notice: AcceptableUseNotice, by: User) -> NoticeAcceptance:
    if by.organisation_id != notice.organisation_id or not is_asked(by):
        raise ApplicationError(
            "This notice is not one for you to accept.", code=ErrorCode.FORBIDDEN
        )
    existing = NoticeAcceptance.objects.filter(notice=notice, user=by).first()
    if existing is not None:
        return existing
    acceptance = NoticeAcceptance.objects.create(notice=notice, user=by, accepted_at=timezone.now())
    audit_record(
        actor=by,
        action="monitoring.notice.accept",
        target=notice,
        clauses=CLAUSES,
        details={"version": notice.version},
    )
    return acceptance


def people_not_accepted(*, notice: AcceptableUseNotice) -> QuerySet[User]:
    """Active staff members and pupils of the organisation who have not accepted this version."""
    current = RoleAssignment.objects.filter(
        _current(),
        user_id=OuterRef("pk"),
        organisation_id=notice.organisation_id,
        role__in=[str(r) for r in ASKED_ROLES],
    )
    return (
        User.objects.filter(Exists(current), organisation_id=notice.organisation_id, is_active=True)
        .exclude(pk__in=NoticeAcceptance.objects.filter(notice=notice).values("user_id"))
        .select_related("school")
        .order_by("last_name", "first_name")
    )
