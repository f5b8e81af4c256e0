"""Where logs come from and what has been read of them (8.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LogFormat(models.TextChoices):
    SQUID = "squid", "Squid native access log"
    COMBINED = "combined", "NCSA common or combined log"
    CSV = "csv", "CSV export from a web filter"


class MatchUsersBy(models.TextChoices):
    USERNAME = "username", "User name"
    EMAIL = "email", "E-mail address"


class LogSource(models.Model):
    """One proxy or web filter whose logs the school reads. ``column_mapping`` (CSV only) maps
    our field names (``time``, ``ip``, ``user``, ``method``, ``url``, ``host``, ``status``,
    ``bytes``) to the export's column headings, and ``time_format`` says how its times are
    written (a strftime pattern; empty: ISO 8601 or Unix seconds)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=100)
    format = models.CharField(max_length=10, choices=LogFormat.choices, default=LogFormat.SQUID)
    column_mapping = models.JSONField(default=dict, blank=True)
    time_format = models.CharField(max_length=40, blank=True)
    match_users_by = models.CharField(
        max_length=10, choices=MatchUsersBy.choices, default=MatchUsersBy.USERNAME
    )
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="logsource_name_per_org"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_default=True),
                name="logsource_one_default_per_org",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SourceFile(models.Model):
    """A file the source has read, known by a fingerprint of its first bytes (so a renamed copy
    is the same file), and how far: ``offset`` is the byte (of the uncompressed text) after the
    last whole line read, so a re-run adds nothing and a growing file is read from its tail."""

    source = models.ForeignKey(LogSource, on_delete=models.CASCADE, related_name="files")
    fingerprint = models.CharField(max_length=64)
    name = models.CharField(max_length=300, blank=True)
    offset = models.PositiveBigIntegerField(default=0)
    lines = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "fingerprint"], name="sourcefile_fingerprint_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.lines} lines)"


class IngestRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(LogSource, on_delete=models.CASCADE, related_name="runs")
    file_name = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lines_read = models.PositiveBigIntegerField(default=0)
    lines_bad = models.PositiveBigIntegerField(default=0)
    bad_line_numbers = models.JSONField(default=list, blank=True)  # the first few, 1-based
    lines_skipped = models.PositiveBigIntegerField(default=0)  # read before (re-run, tail)
    findings_made = models.PositiveIntegerField(default=0)
    unattributed = models.PositiveBigIntegerField(default=0)
    seconds = models.FloatField(default=0)
    # Plain sentences about what the log could not show, e.g. "encrypted: an edit cannot be
    # seen" for CONNECT-only traffic to an open encyclopaedia (6.11 is never claimed from it).
    notes = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def lines_per_second(self) -> float:
        return self.lines_read / self.seconds if self.seconds else 0.0


class UserAlias(models.Model):
    """A proxy user name (or e-mail) that names a person, when it is not their user name."""

    source = models.ForeignKey(LogSource, on_delete=models.CASCADE, related_name="aliases")
    proxy_name = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "proxy_name"], name="alias_once_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.proxy_name} -> {self.user_id}"


class AddressLease(models.Model):
    """An address range lent to a device (and the person using it) for a time (a DHCP lease).
    Addresses are stored as integers (IPv4) so a range is two comparisons."""

    source = models.ForeignKey(LogSource, on_delete=models.CASCADE, related_name="leases")
    first_ip = models.GenericIPAddressField(protocol="IPv4")
    last_ip = models.GenericIPAddressField(protocol="IPv4")
    first_ip_int = models.PositiveBigIntegerField()
    last_ip_int = models.PositiveBigIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    device = models.CharField(max_length=120, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "first_ip_int"]
        indexes = [models.Index(fields=["source", "first_ip_int", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.first_ip}-{self.last_ip} {self.device}"
