"""The acceptable-use notice (8.2): users have no expectation of privacy on the school's ICT.

The IT / monitoring lead keeps the text; each change is a new version, and everyone is asked to
accept the new one. An acceptance names the person and the version, never "the notice" in
general, so the record shows exactly what each person was told."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AcceptableUseNotice(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField()
    text = models.TextField()
    published_at = models.DateTimeField()
    # Empty for the first version, written from the shipped text when the notice is first needed.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="aup_notice_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"Acceptable-use notice, version {self.version}"


class NoticeAcceptance(models.Model):
    notice = models.ForeignKey(
        AcceptableUseNotice, on_delete=models.PROTECT, related_name="acceptances"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    accepted_at = models.DateTimeField()

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="aup_accepted_once")]

    def __str__(self) -> str:
        return f"user {self.user_id} accepted version {self.notice_id}"
