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

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(is_current=True), name="one_current_policy"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


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
