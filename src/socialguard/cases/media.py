"""Writes to media enquiries (A.3.7): logged by staff in one step, forwarded at once to the
head teacher, answered by the head teacher. The staff member is told not to respond."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialguard.accounts.models import Role, School, User
from socialguard.accounts.selectors import people_with_role
from socialguard.audit.services import audit_record
from socialguard.cases.models import MediaEnquiry
from socialguard.cases.permissions import can_log_media_enquiry, can_respond_to_enquiry
from socialguard.cases.selectors import clause_texts, time_left
from socialguard.cases.services import new_reference
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.notifications.services import email_after_commit
from socialguard.sites.models import Site

if TYPE_CHECKING:
    from socialguard.community.models import Contribution

# The shipped policy's words, used when an organisation's own policy has no clause A.3.7.
A37_DEFAULT = (
    "Be aware that the content or site may attract media attention. All media enquiries must "
    "be forwarded to the head teacher immediately. Staff members must not communicate with the "
    "media without the advice or approval of the head teacher."
)


def a37_text(organisation_id: int) -> str:
    from socialguard.accounts.models import Organisation

    organisation = Organisation.objects.get(pk=organisation_id)
    return clause_texts(organisation=organisation, numbers=["A.3.7"]).get("A.3.7", A37_DEFAULT)


def head_teachers_for(enquiry: MediaEnquiry) -> list[User]:
    return list(
        people_with_role(
            organisation=enquiry.organisation, roles=[Role.HEAD_TEACHER], school=enquiry.school
        )
    )


def _text(value: str, what: str, limit: int) -> str:
    if not value or not value.strip():
        raise ApplicationError(f"Give {what}.", code=ErrorCode.INVALID)
    return value.strip()[:limit]


@transaction.atomic
def media_enquiry_log(
    *,
    by: User,
    enquirer_name: str,
    outlet: str,
    contact: str,
    about: str,
    deadline: datetime,
    site: Site | None = None,
    contribution: Contribution | None = None,
    school: School | None = None,
) -> MediaEnquiry:
    """One step: the enquiry goes straight to the head teacher (e-mail and dashboard) and the
    staff member is sent an acknowledgement that quotes A.3.7."""
    if not can_log_media_enquiry(by):
        raise ApplicationError("Only staff members log media enquiries.", code=ErrorCode.FORBIDDEN)
    if timezone.is_naive(deadline):
        raise ApplicationError("The deadline needs a time zone.")
    if deadline <= timezone.now():
        raise ApplicationError("The deadline has passed: give the journalist's deadline.")
    for linked in (site, contribution, school):
        if linked is not None and _organisation_of(linked) != by.organisation_id:
            raise ApplicationError("Link a site or post of your own organisation.")
    org_id = by.organisation_id
    assert org_id is not None  # can_log_media_enquiry checked it
    if contribution is not None and site is None:
        site = contribution.site
    enquiry = MediaEnquiry.objects.create(
        organisation_id=org_id,
        school=school or by.school or (site.school if site else None),
        reference=new_reference("ME", MediaEnquiry),
        logged_by=by,
        enquirer_name=_text(enquirer_name, "the enquirer's name", 120),
        outlet=_text(outlet, "the newspaper, channel or outlet", 160),
        contact=_text(contact, "how to contact them", 200),
        about=_text(about, "what they asked about", 5000),
        deadline=deadline,
        site=site,
        contribution=contribution,
    )
    audit_record(
        actor=by,
        action="cases.media.log",
        target=enquiry,
        clauses=["A.3.7"],
        details={"deadline": deadline.isoformat(), "site": site.pk if site else None},
    )
    link = reverse("cases:media_detail", args=[enquiry.pk])
    email_after_commit(
        recipients=head_teachers_for(enquiry),
        subject=f"Media enquiry from {enquiry.outlet}: {time_left(deadline)}",
        template="cases/email/media_to_head.txt",
        context={"enquiry": enquiry, "link": link, "time_left": time_left(deadline)},
        organisation_id=enquiry.organisation_id,
        category="cases.media.new",
    )
    email_after_commit(
        recipients=[by],
        subject=f"Media enquiry {enquiry.reference}: passed to the head teacher",
        template="cases/email/media_ack.txt",
        context={"enquiry": enquiry, "link": link, "a37": a37_text(enquiry.organisation_id)},
        organisation_id=enquiry.organisation_id,
        category="cases.media.ack",
    )
    return enquiry


def _organisation_of(linked: Site | Contribution | School) -> int | None:
    if isinstance(linked, Site | School):
        return linked.organisation_id
    return linked.site.organisation_id


@transaction.atomic
def media_enquiry_respond(
    *,
    enquiry: MediaEnquiry,
    by: User,
    response: str,
    responded_at: datetime | None = None,
    responded_by: User | None = None,
) -> MediaEnquiry:
    """The head teacher records what was said, when and by whom; that closes the enquiry."""
    enquiry = MediaEnquiry.objects.select_for_update(of=("self",)).get(pk=enquiry.pk)
    if not can_respond_to_enquiry(enquiry, by):
        if enquiry.status != MediaEnquiry.Status.OPEN:
            raise ApplicationError("A response is already recorded.", code=ErrorCode.ALREADY_DONE)
        raise ApplicationError(
            "Only the head teacher records the response (A.3.7).", code=ErrorCode.FORBIDDEN
        )
    speaker = responded_by or by
    if speaker.organisation_id != enquiry.organisation_id:
        raise ApplicationError("Choose who gave the response.")
    now = timezone.now()
    when = responded_at or now
    if when > now:
        raise ApplicationError("Record a response once it has been given.")
    enquiry.response = _text(response, "what was said", 10000)
    enquiry.responded_by, enquiry.responded_at = speaker, when
    enquiry.recorded_by, enquiry.closed_at = by, now
    enquiry.status = MediaEnquiry.Status.RESPONDED
    enquiry.save(
        update_fields=[
            "response",
            "responded_by",
            "responded_at",
            "recorded_by",
            "closed_at",
            "status",
        ]
    )
    audit_record(
        actor=by,
        action="cases.media.respond",
        target=enquiry,
        clauses=["A.3.7"],
        details={"responded_by": speaker.pk, "on_time": when <= enquiry.deadline},
    )
    email_after_commit(
        recipients=[enquiry.logged_by],
        subject=f"Media enquiry {enquiry.reference}: the head teacher has responded",
        template="cases/email/media_responded.txt",
        context={"enquiry": enquiry, "link": reverse("cases:media_detail", args=[enquiry.pk])},
        organisation_id=enquiry.organisation_id,
        category="cases.media.responded",
    )
    return enquiry
