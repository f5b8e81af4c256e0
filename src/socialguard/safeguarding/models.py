"""The safeguarding record (ANCHORS §3.4, after CPOMS, MyConcern and Impero).

A ``Concern`` keeps the reporter's account and the child's words exactly as they were first
written: nobody edits them, not even the DSL. Everything that happens afterwards (updates,
corrections, actions, referrals, closing, reopening, access) is appended as a ``ConcernEntry``
with its author and time, so the chronology reads as it happened (A.2.3, A.5.6).

Immutability is enforced here, in the models, not only in the services: ``save()`` refuses to
change the account, and entries and evidence refuse updates and deletes. The one way out is the
retention service, which deletes a whole closed record once its retention period has passed
(``safeguarding.retention``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from socialguard.core import evidence
from socialguard.core.append_only import AppendOnlyError, AppendOnlyModel, refuse_delete

# A safeguarding account, entry or piece of evidence was about to be changed.
ImmutableRecordError = AppendOnlyError


def _refuse_delete(what: str) -> None:
    refuse_delete(
        f"{what} cannot be deleted: the safeguarding record is append-only. It is deleted "
        "only as a whole, when its retention period has passed."
    )


class Agency(models.TextChoices):
    """The agencies every organisation's list starts with (A.5.6). The DSL adds their own
    (``ReferralAgency``) and retires any they never use (``safeguarding.agencies``)."""

    POLICE = "police", "Police"
    CEOP = "ceop", "CEOP (Child Exploitation and Online Protection)"
    SOCIAL_CARE = "social_care", "Children's social care"
    LADO = "lado", "LADO (Local Authority Designated Officer)"
    EARLY_HELP = "early_help", "Early Help"
    CAMHS = "camhs", "CAMHS (Child and Adolescent Mental Health Services)"
    HEALTH = "health", "Health (school nurse, GP or health visitor)"
    OTHER = "other", "Other agency (say which in the note)"


class ReferralAgency(models.Model):
    """One line of an organisation's referral list: an agency the DSL added, or one of the
    standard ``Agency`` entries renamed or retired. A retired agency stays on the referrals
    already made to it; it is no longer offered."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="referral_agencies"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    active = models.BooleanField(default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="one_agency_code_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


def escalation_image_upload_to(instance: Escalation, filename: str) -> str:
    # The stored name says nothing about the pupil: the organisation and a hash prefix only.
    return f"safeguarding/escalations/{instance.organisation_id}/{instance.image_sha256[:16]}.bin"


class Escalation(models.Model):
    """Something handed to the safeguarding leads (A.2.3, A.5.6) from elsewhere (today: a
    review item): its category, the evidence frozen at the hand-over with its sha256, a copy
    of any image (attachments follow the item: only the leads see it), and who has seen it.
    Everything after the hand-over lives here; the sender is told only if the leads return it
    (``safeguarding.handover``)."""

    class Status(models.TextChoices):
        WITH_LEADS = "with_leads", "With the safeguarding leads"
        RECORDED = "recorded", "Recorded as a concern"
        RETURNED = "returned", "Returned: not a safeguarding matter"

    class RaisedVia(models.TextChoices):
        SCREENING = "screening", "the screening engine"
        PERSON = "person", "a moderator"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "accounts.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    place = models.CharField(max_length=200, blank=True)  # "Official site: Year 4 blog"
    source_type = models.CharField(max_length=20)
    source_id = models.PositiveBigIntegerField()
    category = models.CharField(max_length=40)
    raised_via = models.CharField(max_length=10, choices=RaisedVia.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    evidence = models.JSONField(default=dict)
    sha256 = models.CharField(max_length=64)
    findings = models.JSONField(default=list, blank=True)
    image = models.FileField(upload_to=escalation_image_upload_to, blank=True)
    image_content_type = models.CharField(max_length=40, blank=True)
    image_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WITH_LEADS)
    escalated_at = models.DateTimeField()
    # 0 none sent, 1 the cover DSLs told, 2 the head teacher told (safeguarding.checks).
    reminder_level = models.PositiveSmallIntegerField(default=0)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["acknowledged_at", "-escalated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"], name="one_escalation_per_source"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status", "acknowledged_at"])]

    def __str__(self) -> str:
        # No names and no content: this string is copied into the audit trail.
        return f"Escalation #{self.pk}"

    @property
    def with_leads(self) -> bool:
        return self.status == self.Status.WITH_LEADS


class ConcernQuerySet(models.QuerySet["Concern"]):
    def update(self, **kwargs: Any) -> int:
        if set(kwargs) & Concern.IMMUTABLE_FIELDS:
            raise ImmutableRecordError("The account of a concern is never edited.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse_delete("A concern")
        return super().delete()


class Concern(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Source(models.TextChoices):
        FORM = "form", "Recorded by a member of staff"
        REVIEW_ITEM = "review_item", "Raised from the review queue"

    # What was written when the concern was recorded and must never change afterwards.
    IMMUTABLE_FIELDS = frozenset(
        {
            "organisation",
            "organisation_id",
            "reference",
            "reporter",
            "reporter_id",
            "account",
            "child_words",
        }
    )

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "accounts.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(max_length=20)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    account = models.TextField()
    child_words = models.TextField(blank=True)
    categories = models.JSONField(default=list)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.FORM)
    # The hand-over this concern was recorded from (the queue never reaches it from its side).
    escalation = models.OneToOneField(
        "safeguarding.Escalation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concern",
    )
    # A.2.3: told "immediately". When a safeguarding lead first opened the record; a concern
    # raised from the review queue is acknowledged by the lead who records it.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Nothing sits unseen: 0 none sent, 1 the cover DSLs told (15 minutes unacknowledged),
    # 2 the head teacher told (30 minutes). Each step is sent once (safeguarding.checks).
    reminder_level = models.PositiveSmallIntegerField(default=0)
    # A.2.3: need to know. The DSL may share one concern with the head teacher.
    head_teacher_may_view = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="concern_reference_per_org"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="closed_concern_has_closed_at",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "-created_at"])]
        permissions = [
            ("view_concerns", "Can list safeguarding concerns"),
            ("report_concern", "Can record a safeguarding concern"),
        ]

    def __str__(self) -> str:
        # Only the reference: this string is copied into the audit trail (no names, no content).
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            fields = kwargs.get("update_fields")
            stored = Concern.objects.filter(pk=self.pk).values(
                "organisation_id", "reference", "reporter_id", "account", "child_words"
            )
            before = stored.first()
            if before is not None and (fields is None or set(fields) & self.IMMUTABLE_FIELDS):
                changed = [name for name, value in before.items() if getattr(self, name) != value]
                if changed:
                    raise ImmutableRecordError(
                        "The account of a concern is never edited: add a correction instead "
                        f"(tried to change {', '.join(sorted(changed))})."
                    )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse_delete("A concern")
        return super().delete(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ConcernPupil(models.Model):
    """A pupil the concern is about: on the school's roll, or named in words when not listed."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="pupils")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name_if_not_listed = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pupil__isnull=False) | ~Q(name_if_not_listed=""),
                name="concern_pupil_named",
            ),
            models.UniqueConstraint(
                fields=["concern", "pupil"],
                condition=Q(pupil__isnull=False),
                name="concern_pupil_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Pupil link #{self.pk}"

    @property
    def label(self) -> str:
        if self.pupil is not None:
            return self.pupil.get_full_name() or self.pupil.get_username()
        return f"{self.name_if_not_listed} (not on the list)"


class ConcernRecordPart(AppendOnlyModel):
    append_only_message = (
        "Safeguarding entries and evidence are append-only: add a correction instead. They are "
        "deleted only with the whole concern, when its retention period has passed."
    )

    class Meta:
        abstract = True


class ConcernEntry(ConcernRecordPart):
    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        CORRECTION = "correction", "Correction"
        DSL_SUMMARY = "dsl_summary", "DSL summary"
        ACTION = "action", "Action"
        REFERRAL = "referral", "Referral"
        EVIDENCE = "evidence", "Evidence added"
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"
        ACCESS = "access", "Access"

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "concern entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class ConcernAction(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return f"Action #{self.pk} due {self.due_on}"


class Referral(models.Model):
    """A.5.6: a referral to an outside agency, with its reference and, later, its outcome."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="referrals")
    # The code of an agency on the organisation's list, and its name when the referral was made
    # (the record reads as it did, whatever the list later becomes).
    agency = models.CharField(max_length=40)
    agency_name = models.CharField(max_length=120, blank=True)
    made_on = models.DateField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(max_length=100, blank=True)
    outcome = models.TextField(blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_on", "pk"]

    def __str__(self) -> str:
        return f"Referral to {self.agency_name or self.agency} on {self.made_on}"


def evidence_upload_to(instance: ConcernEvidence, filename: str) -> str:
    # The stored name says nothing about the pupil: only the concern's number and a hash prefix.
    return f"safeguarding/{instance.concern_id}/{instance.sha256[:16]}.bin"


class ConcernEvidence(ConcernRecordPart):
    class SourceType(models.TextChoices):
        REVIEW_ITEM = "review_item", "Review item (frozen contribution)"
        MONITORING_FINDING = "monitoring_finding", "Monitoring finding"
        UPLOAD = "upload", "Uploaded file"

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="evidence")
    source_type = models.CharField(max_length=20, choices=SourceType.choices)
    source_id = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=300, blank=True)
    content = models.JSONField(default=dict, blank=True)
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=evidence_upload_to, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name_plural = "concern evidence"

    def __str__(self) -> str:
        return f"Evidence #{self.pk} ({self.get_source_type_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.file and not self.sha256:
            self.sha256 = file_sha256(self.file)
        super().save(*args, **kwargs)

    def verify(self) -> bool:
        """Does what is stored still match the hash taken when it was added?"""
        if self.file:
            return file_sha256(self.file) == self.sha256
        if self.source_type == self.SourceType.REVIEW_ITEM:
            return evidence.verify(self.content, self.sha256)
        return bool(self.sha256)


def file_sha256(file: Any) -> str:
    file.open("rb")
    return evidence.file_sha256(file)
