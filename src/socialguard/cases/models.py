"""Breach reports, breach cases about staff (section 9) and media enquiries (A.3.7).

These tables hold staff disciplinary matters. They are kept apart from the pupil safeguarding
records: no table here refers to the safeguarding app, and a review item that is with the
safeguarding lead cannot be linked as evidence (see ``services.case_evidence_add``).

The chronology (``CaseEntry``) and the evidence (``CaseEvidence``) are append-only: the ORM
refuses to change or delete a row, and the database refuses UPDATE (migration 0002). Rows go
only when the whole case is deleted at the end of its retention period (``retention.py``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from socialguard.core.append_only import AppendOnlyModel


class ReporterRelationship(models.TextChoices):
    CONTRACTOR = "contractor", "Contractor or supplier (9.4)"
    STAFF = "staff", "Member of staff"
    VOLUNTEER = "volunteer", "Volunteer or governor"
    PARENT = "parent", "Parent or carer"
    PUPIL = "pupil", "Pupil"
    OTHER = "other", "Someone else"


class BreachReport(models.Model):
    """A suspected breach reported by anyone, signed in or not (9.4: contractors must tell
    the school immediately). The head teacher triages it into a case or closes it; a report
    about the head teacher goes to the governors instead (``permissions``)."""

    class Status(models.TextChoices):
        NEW = "new", "New: to triage"
        TRIAGED = "triaged", "Opened as a case"
        NOT_A_BREACH = "not_a_breach", "Closed: not a breach"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey("accounts.School", null=True, blank=True, on_delete=models.PROTECT)
    reference = models.CharField(max_length=20, unique=True)
    reporter_name = models.CharField(max_length=120)
    reporter_email = models.EmailField(blank=True)
    reporter_relationship = models.CharField(max_length=12, choices=ReporterRelationship.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clause_number = models.CharField(max_length=12, blank=True)
    what_happened = models.TextField()
    when = models.CharField(max_length=200, blank=True)
    person_concerned_name = models.CharField(max_length=200, blank=True)
    # An allegation about the head teacher goes to the governors, never to a head teacher.
    about_head_teacher = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    triage_reason = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="new") | (Q(triaged_by__isnull=False) & ~Q(triage_reason="")),
                name="cases_report_triage_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.reference


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", "Investigation"
    HEARING = "hearing", "Hearing"
    OUTCOME = "outcome", "Outcome decided"
    APPEAL = "appeal", "Appeal"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    NO_ACTION = "no_action", "No action"
    ADVICE = "advice", "Advice and guidance"
    WARNING = "warning", "Warning"
    DISCIPLINARY = "disciplinary", "Disciplinary action"
    DISMISSAL = "dismissal", "Dismissal"
    COUNTY_REFERRAL = "county_referral", "Referral to the County Council"


class BreachCase(models.Model):
    """A case file about one staff member (9.1, 9.2). Never shown to that person."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey("accounts.School", null=True, blank=True, on_delete=models.PROTECT)
    reference = models.CharField(max_length=20, unique=True)
    report = models.OneToOneField(
        BreachReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="case"
    )
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField()
    clauses = models.JSONField(default=list, blank=True)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.INVESTIGATION)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    outcome_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "stage"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(outcome="") & Q(outcome_decided_by__isnull=True) & Q(outcome_at__isnull=True)
                )
                | (
                    ~Q(outcome="")
                    & Q(outcome_decided_by__isnull=False)
                    & Q(outcome_at__isnull=False)
                ),
                name="cases_outcome_has_decider",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=["investigation", "hearing"]) | ~Q(outcome=""),
                name="cases_later_stages_have_outcome",
            ),
            models.CheckConstraint(
                condition=Q(stage="closed", closed_at__isnull=False)
                | (~Q(stage="closed") & Q(closed_at__isnull=True)),
                name="cases_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseRecordPart(AppendOnlyModel):
    append_only_message = (
        "The case chronology and evidence are append-only: they go only with the whole case, "
        "at the end of its retention period."
    )

    class Meta:
        abstract = True


class CaseEntry(CaseRecordPart):
    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        STAGE = "stage", "Stage"
        EVIDENCE = "evidence", "Evidence"
        OUTCOME = "outcome", "Outcome"
        APPEAL = "appeal", "Appeal"

    case = models.ForeignKey(BreachCase, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"


class CaseEvidence(CaseRecordPart):
    """A link to an audit event, a review item or a monitoring finding, frozen as a snapshot
    when it was added, or an uploaded file. ``sha256`` is taken over the file's bytes or over
    the canonical JSON of the snapshot, so later tampering shows."""

    class Source(models.TextChoices):
        AUDIT_EVENT = "audit_event", "Audit event"
        REVIEW_ITEM = "review_item", "Review item"
        MONITORING_FINDING = "monitoring_finding", "Monitoring finding"
        UPLOAD = "upload", "Uploaded file"

    case = models.ForeignKey(BreachCase, on_delete=models.CASCADE, related_name="evidence")
    source_type = models.CharField(max_length=20, choices=Source.choices)
    source_id = models.CharField(max_length=64, blank=True)
    description = models.TextField()
    file = models.FileField(upload_to="cases/evidence/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source_type="upload") & ~Q(file=""))
                | (~Q(source_type="upload") & ~Q(source_id="")),
                name="cases_evidence_has_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_type_display()} {self.source_id or self.file_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from socialguard.cases.evidence import file_sha256, snapshot_sha256

        if self.source_type == self.Source.UPLOAD:
            self.sha256 = file_sha256(self.file)
        else:
            self.sha256 = snapshot_sha256(self.snapshot)
        super().save(*args, **kwargs)


class CaseAppeal(models.Model):
    """One appeal per case (Mastodon's ``appeal``). ``outcome_decided_by`` is copied from the
    case when the appeal is filed so that the database itself can refuse an appeal decided by
    the person who decided the outcome (the check Mastodon lacks: issue #30108)."""

    class Decision(models.TextChoices):
        UPHELD = "upheld", "Outcome upheld"
        OVERTURNED = "overturned", "Outcome overturned"
        VARIED = "varied", "Outcome varied"

    case = models.OneToOneField(BreachCase, on_delete=models.CASCADE, related_name="appeal")
    outcome_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_text = models.TextField()
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    varied_outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("outcome_decided_by")),
                name="cases_appeal_not_decided_by_outcome_decider",
            ),
            models.CheckConstraint(
                condition=(Q(decided_by__isnull=True) & Q(decision="") & Q(decided_at__isnull=True))
                | (Q(decided_by__isnull=False) & ~Q(decision="") & Q(decided_at__isnull=False)),
                name="cases_appeal_decision_complete",
            ),
            models.CheckConstraint(
                condition=Q(decision="varied", varied_outcome__gt="")
                | (~Q(decision="varied") & Q(varied_outcome="")),
                name="cases_appeal_varied_names_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal on {self.case}"


class CaseAccess(models.Model):
    """The head teacher names who else handles breach cases ('and whom they name')."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(revoked_at__isnull=True),
                name="cases_one_active_access",
            )
        ]

    def __str__(self) -> str:
        return f"Case access for {self.user}"


class MediaEnquiry(models.Model):
    """A media enquiry, logged by the staff member who received it and forwarded at once to
    the head teacher (A.3.7), with a timer until the journalist's deadline."""

    class Status(models.TextChoices):
        OPEN = "open", "With the head teacher"
        RESPONDED = "responded", "Responded"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey("accounts.School", null=True, blank=True, on_delete=models.PROTECT)
    reference = models.CharField(max_length=20, unique=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    enquirer_name = models.CharField(max_length=120)
    outlet = models.CharField(max_length=160)
    contact = models.CharField(max_length=200)
    about = models.TextField()
    deadline = models.DateTimeField()
    site = models.ForeignKey("sites.Site", null=True, blank=True, on_delete=models.SET_NULL)
    contribution = models.ForeignKey(
        "community.Contribution", null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # 0: none sent; 1: deadline within two hours; 2: deadline passed. Each is sent once.
    reminder_level = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline"]
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True, responded_at__isnull=True)
                | (
                    Q(status="responded")
                    & Q(closed_at__isnull=False)
                    & Q(responded_at__isnull=False)
                    & Q(responded_by__isnull=False)
                    & ~Q(response="")
                ),
                name="cases_media_response_complete",
            )
        ]

    def __str__(self) -> str:
        return self.reference
