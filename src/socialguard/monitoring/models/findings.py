"""What the monitoring found (6.11, 6.13, A.2.3) and the aggregated traffic everything else
becomes (8.1): raw log lines survive only as a finding's evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from socialguard.monitoring.models.config import Category
from socialguard.monitoring.models.sources import IngestRun, LogSource


class Clause(models.TextChoices):
    PERSONAL_SOCIAL_MEDIA = "6.13", "6.13 personal social media on the school's time"
    ENCYCLOPAEDIA_EDIT = "6.11", "6.11 editing an open encyclopaedia at work"
    PUPIL_SEARCH = "A.2.3", "A.2.3 a pupil's search that may be a safeguarding matter"


class FindingKind(models.TextChoices):
    SOCIAL_MEDIA_WEEK = "social_media_week", "Personal social media in contracted hours"
    ENCYCLOPAEDIA_EDIT = "encyclopaedia_edit", "Edit to an open encyclopaedia"
    PUPIL_SEARCH = "pupil_search", "Pupil's search"


class FindingStatus(models.TextChoices):
    OPEN = "open", "Not yet triaged"
    CONFIRMED = "confirmed", "Confirmed (true positive)"
    FALSE_POSITIVE = "false_positive", "False positive"


class MonitoringFinding(models.Model):
    """One finding, citing its clause. 6.13 findings are one per person per week (``week_starts``
    the Monday), never one per hit; a growing log updates the open finding of its week. ``key``
    makes re-reading the same lines add nothing. ``evidence_sha256`` is a sha256 over the
    evidence lines' own hashes in line order."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    source = models.ForeignKey(
        LogSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    run = models.ForeignKey(
        IngestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    reference = models.CharField(max_length=20, unique=True)
    key = models.CharField(max_length=120)
    clause = models.CharField(max_length=8, choices=Clause.choices)
    kind = models.CharField(max_length=24, choices=FindingKind.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_is_pupil = models.BooleanField(default=False)
    school = models.ForeignKey(
        "accounts.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    occurred_at = models.DateTimeField()  # the first evidence line's time
    week_starts = models.DateField(null=True, blank=True)
    summary = models.TextField()  # plain words, shown on the list
    details = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    triage_note = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.BreachCase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    concern = models.ForeignKey(
        "safeguarding.Concern", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalation = models.ForeignKey(
        "safeguarding.Escalation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "clause", "week_starts"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="finding_key_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.clause})"


class FindingEvidence(models.Model):
    """A raw log line kept as a finding's evidence, with its sha256 taken when it was read."""

    finding = models.ForeignKey(
        MonitoringFinding, on_delete=models.CASCADE, related_name="evidence"
    )
    line_number = models.PositiveBigIntegerField()
    file_name = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(null=True, blank=True)
    line = models.TextField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["at", "line_number", "pk"]

    def __str__(self) -> str:
        return f"line {self.line_number}"


class Audience(models.TextChoices):
    STAFF = "staff", "Staff"
    PUPIL = "pupil", "Pupils"
    UNATTRIBUTED = "unattributed", "Not attributed"


class TrafficSummary(models.Model):
    """Hits per day, category and audience: no names, no addresses (governors' charts, 8.1)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    source = models.ForeignKey(LogSource, on_delete=models.CASCADE, related_name="summaries")
    day = models.DateField()
    category = models.CharField(max_length=20, choices=Category.choices)
    audience = models.CharField(max_length=12, choices=Audience.choices)
    hits = models.PositiveBigIntegerField(default=0)
    bytes = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["day", "category", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "day", "category", "audience"], name="trafficsummary_once"
            )
        ]
        indexes = [models.Index(fields=["organisation", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.category} {self.audience}: {self.hits}"


class WeeklyTally(models.Model):
    """A staff member's personal social media in contracted hours, so far this week (6.13): kept
    below the threshold too, so that a week read in several parts (a growing log) is judged as a
    whole. Deleted with the traffic totals at the end of the retention period."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_starts = models.DateField()
    minutes = models.PositiveIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)
    days = models.JSONField(default=dict, blank=True)  # "2026-11-30": minutes
    domains = models.JSONField(default=dict, blank=True)  # "facebook.com": hits
    last_minute = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "week_starts"], name="weeklytally_once"
            )
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} week of {self.week_starts}: {self.minutes} min"
