"""One review queue for everything on a school-hosted site that needs a human (ANCHORS §3.1).

A ``ReviewItem`` is unique per (type, target): a second report on the same post adds a
``ReviewSignal`` to the open item instead of a duplicate. ``version`` is the optimistic lock:
every action names the version it was decided on, and loses if someone acted first."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReviewItem(models.Model):
    class Type(models.TextChoices):
        QUEUED_POST = "queued_post", "Post"
        QUEUED_COMMENT = "queued_comment", "Comment"
        QUEUED_IMAGE = "queued_image", "Image"
        JOIN_REQUEST = "join_request", "Request to join"
        FRIEND_REQUEST = "friend_request", "Request to be a friend"
        REPORT = "report", "Reported by members"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        REMOVED = "removed", "Removed"
        DISMISSED = "dismissed", "Kept (report dismissed)"
        # Handed to the safeguarding leads: out of the queue (safeguarding.Escalation has it).
        SAFEGUARDING = "safeguarding", "With the safeguarding lead"

    class Priority(models.IntegerChoices):
        LOW = 0, "Low"
        NORMAL = 1, "Normal"
        HIGH = 2, "High"
        URGENT = 3, "Urgent"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="review_items")
    type = models.CharField(max_length=16, choices=Type.choices)
    contribution = models.ForeignKey(
        "community.Contribution",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_items",
    )
    membership = models.ForeignKey(
        "community.Membership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_items",
    )
    target_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    score = models.FloatField(default=0.0)
    blocked_by_engine = models.BooleanField(default=False)
    faces = models.PositiveSmallIntegerField(default=0)
    # The screening verdict as the moderator may see it: redacted text, findings, clauses.
    payload = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    basis = models.CharField(max_length=40, blank=True, help_text="house_rule:N or clause:A.5.6")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    reminder_level = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    latest_signal_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-priority", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "contribution"],
                condition=Q(contribution__isnull=False),
                name="one_review_item_per_contribution",
            ),
            models.UniqueConstraint(
                fields=["type", "membership"],
                condition=Q(membership__isnull=False),
                name="one_review_item_per_membership",
            ),
            models.CheckConstraint(
                condition=Q(contribution__isnull=True) ^ Q(membership__isnull=True),
                name="review_item_has_one_target",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "site", "-priority", "created_at"]),
            models.Index(fields=["organisation", "status"]),
        ]
        permissions = [("view_queue", "Can open the review queue")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_safeguarding(self) -> bool:
        return self.status == self.Status.SAFEGUARDING


class ReviewSignal(models.Model):
    """Why an item needs a human: a screening finding, a member's report, a moderator."""

    class Source(models.TextChoices):
        SCREENING = "screening", "Screening engine"
        MEMBER_REPORT = "member_report", "Member's report"
        MODERATOR = "moderator", "Moderator"
        SYSTEM = "system", "socialguard"

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="signals")
    source = models.CharField(max_length=14, choices=Source.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300)
    weight = models.FloatField(default=1.0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.reason}"


class ReviewHistory(models.Model):
    """What happened to an item, in order (the audit trail holds the same, hash-chained)."""

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="history")
    event = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    diff = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.event} at {self.at:%Y-%m-%d %H:%M}"
