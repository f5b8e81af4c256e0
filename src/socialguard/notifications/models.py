from __future__ import annotations

from django.db import models


class OutboxMessage(models.Model):
    """A copy of every e-mail the demo would have sent, readable by administrators in the browser.

    Filled by ``DatabaseOutboxBackend``; production uses SMTP and keeps no copy here.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)
    from_email = models.CharField(max_length=254)
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    category = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.subject
