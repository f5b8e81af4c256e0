"""The policy as data: versions of an organisation's policy, their clauses, acknowledgements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from socialguard.core.models import TimeStampedModel


class Obligation(models.TextChoices):
    MUST = "must", "Must"
    MUST_NOT = "must_not", "Must not"
    SHOULD = "should", "Should"
    ADVICE = "advice", "Advice"


class PolicyVersion(TimeStampedModel):
    class Status(models.TextChoices):
        # A draft is an upload or a review copy being prepared; a published version is (or was)
        # the policy staff work to. Only one published version is current at a time.
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="policy_versions"
    )
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=40)
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.CharField(max_length=120, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=False)
    source_name = models.CharField(max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appendices = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # When it came into force: links from a decision go to the version in force at its time.
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Every problem the parser was lenient about, with its line: [{"line": 12, "message": ...}].
    parse_warnings = models.JSONField(default=list, blank=True)
    # A review (header: next review date): who prepares the new version, by when.
    review_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_due_on = models.DateField(null=True, blank=True)
    review_reminder_level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(is_current=True), name="one_current_policy"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.label})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def label(self) -> str:
        """'version 2', or 'draft of version 3': a draft never reads like the current one."""
        return f"draft of version {self.version}" if self.is_draft else f"version {self.version}"


class PolicySection(models.Model):
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="section_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Clause(models.Model):
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="clauses")
    section = models.ForeignKey(PolicySection, on_delete=models.CASCADE, related_name="clauses")
    number = models.CharField(max_length=12)
    text = models.TextField()
    obligation = models.CharField(max_length=10, choices=Obligation.choices)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="clause_number_per_version")
        ]

    def __str__(self) -> str:
        return self.number


class Acknowledgement(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="one_ack_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.person} acknowledged {self.version}"


class AcknowledgementReminder(models.Model):
    """One reminder to one person to acknowledge a version: at most one a week each (2.1)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["person", "sent_at"])]

    def __str__(self) -> str:
        return f"Reminder to {self.person} about {self.version}"
