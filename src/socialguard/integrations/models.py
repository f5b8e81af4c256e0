"""How socialguard fits the school's other systems: the roster from its MIS (column names saved
per organisation, each import kept with its dry run until applied, each person linked to their
identifier in the MIS)."""

from __future__ import annotations

from django.db import models

from socialguard.accounts.models import Organisation, School, User
from socialguard.core.models import TimeStampedModel


class RosterKind(models.TextChoices):
    PUPILS = "pupils", "Pupils"
    STAFF = "staff", "Staff"


class RosterMapping(TimeStampedModel):
    """The organisation's own column names for one kind of export ({field: header})."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=RosterKind.choices)
    columns = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="roster_mapping_per_kind")
        ]

    def __str__(self) -> str:
        return f"Column names for {self.get_kind_display().lower()} of {self.organisation}"


class RosterImport(TimeStampedModel):
    """One uploaded file: its rows as read, shown as a dry run until someone applies it."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Dry run"
        APPLIED = "applied", "Applied"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=RosterKind.choices)
    source = models.CharField(max_length=10)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL)
    filename = models.CharField(max_length=200, blank=True)
    rows = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} roster from {self.filename or 'a file'}"


class RosterLink(TimeStampedModel):
    """A person as the MIS knows them: their identifier there, and what the MIS holds that the
    person record does not (a pupil's preferred names and class)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=RosterKind.choices)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roster_links")
    external_id = models.CharField(max_length=150, blank=True)
    preferred_first = models.CharField(max_length=150, blank=True)
    preferred_last = models.CharField(max_length=150, blank=True)
    class_name = models.CharField(max_length=150, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="roster_link_per_kind"),
            models.UniqueConstraint(
                fields=["organisation", "kind", "external_id"],
                condition=~models.Q(external_id=""),
                name="roster_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in the MIS"


class Webhook(TimeStampedModel):
    """Where the organisation's own safeguarding system (CPOMS, MyConcern) hears that a concern
    was recorded: a minimal notice, signed with a secret only the two systems know."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="webhook"
    )
    url = models.URLField(max_length=500)
    # Encrypted (accounts.secrets): the notices are signed with it, so it is kept, not hashed.
    secret = models.TextField()
    enabled = models.BooleanField(default=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"Webhook of {self.organisation}"


class WebhookDelivery(TimeStampedModel):
    """One notice and what became of it: the delivery log."""

    class Event(models.TextChoices):
        CONCERN = "concern.recorded", "A concern was recorded"
        TEST = "test", "Test"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Given up"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20, choices=Event.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_event_display()} ({self.get_status_display()})"


class ApiToken(TimeStampedModel):
    """A person's key for the API, for another system acting as them: read-only or read and
    write. Only a hash is kept; the token itself is shown once, when it is made."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    # The first characters, to tell tokens apart on the page (not enough to guess the rest).
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
