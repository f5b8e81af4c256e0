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
    # The message's idempotency key (see EmailDelivery): a retried task finds its own copy here.
    idempotency_key = models.CharField(max_length=120, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class EmailDelivery(models.Model):
    """One row per message handed to the mail server, by idempotency key.

    The worker runs tasks at least once: a task caught running by a worker that died is run again
    (``notifications.worker``). The key is fixed when the message is queued, so the retry finds
    this row and sends nothing twice. The outbox backend writes its copy under the same key in
    its own unique column, which closes the gap between "sent" and "recorded" there; over SMTP
    the gap is the mail server's answer itself, and the Message-ID derived from the key lets the
    receiving server drop a duplicate.
    """

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class WorkerHeartbeat(models.Model):
    """Each running worker's last sign of life: a task is claimed again only from a dead one."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=100)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.beat_at:%H:%M:%S}"
