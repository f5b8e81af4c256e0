"""Approval requests, their ordered steps, decisions (with signatures) and delegations."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q

from socialguard.approvals.workflows import KIND_LABELS, Kind, Quorum, Rule
from socialguard.core.models import TimeStampedModel


class ApprovalRequest(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting sign-off"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        CHANGES_REQUESTED = "changes_requested", "Returned for changes"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40, choices=[(k.value, v) for k, v in KIND_LABELS.items()])
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    title = models.CharField(max_length=200)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    expires_on = models.DateField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{KIND_LABELS[Kind(self.kind)]}: {self.title}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[Kind(self.kind)]

    def current_step(self) -> ApprovalStep | None:
        # Iterates steps.all() so that a list page which prefetched "steps" runs no query per row.
        active = [s for s in self.steps.all() if s.status == ApprovalStep.Status.ACTIVE]
        return min(active, key=lambda s: s.ordinal) if active else None


class ApprovalStep(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Not yet its turn"
        ACTIVE = "active", "Awaiting decision"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        RETURNED = "returned", "Returned for changes"
        CANCELLED = "cancelled", "Cancelled"

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    ordinal = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    rule = models.CharField(max_length=20, choices=[(r.value, r.value) for r in Rule])
    role = models.CharField(max_length=20, blank=True)
    # LINE_MANAGER steps resolve the approver when the request opens, from the reporting line.
    named_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quorum = models.CharField(max_length=3, choices=[(q.value, q.value) for q in Quorum])
    clauses = models.JSONField(default=list)
    statement = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)

    class Meta:
        ordering = ["ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["request", "ordinal"], name="one_step_per_ordinal")
        ]

    def __str__(self) -> str:
        return f"{self.ordinal}. {self.name}"


class ApprovalDecision(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        REQUEST_CHANGES = "request_changes", "Returned for changes"

    class SignatureMethod(models.TextChoices):
        PASSWORD = "password", "Re-entered password"
        TYPED_NAME = "typed_name", "Typed name"

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="decisions")
    step = models.ForeignKey(ApprovalStep, on_delete=models.CASCADE, related_name="decisions")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True)
    signed_name = models.CharField(max_length=200)
    signature_method = models.CharField(max_length=12, choices=SignatureMethod.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "approver"], name="one_decision_per_approver_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.step.name}: {self.get_decision_display()} by {self.signed_name}"


class Delegation(TimeStampedModel):
    """A.1.5 cover: an approver on leave names a deputy for a period; every use is audited."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_given"
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_held"
    )
    starts_on = models.DateField(default=date.today)
    ends_on = models.DateField()
    reason = models.CharField(max_length=200, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="delegation_dates"
            ),
            models.CheckConstraint(condition=~Q(delegator=F("deputy")), name="delegation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} -> {self.deputy} ({self.starts_on} to {self.ends_on})"
