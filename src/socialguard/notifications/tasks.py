from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from socialguard.notifications.services import email_deliver, email_retry_delay

logger = logging.getLogger(__name__)


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    organisation_id: int | None,
    category: str,
    key: str = "",
    attempt: int = 1,
) -> int:
    """Idempotent: run twice with the same key (a retry after a worker died), it sends once.

    A mail server that refuses or cannot be reached leaves the message queued: the same message
    (same key) is queued again to run after a back-off, up to ``SOCIALGUARD_EMAIL_ATTEMPTS``
    tries; the last failure is recorded on the task (FAILED) for the operator."""
    message: dict[str, Any] = {
        "to": to,
        "subject": subject,
        "body": body,
        "organisation_id": organisation_id,
        "category": category,
        "key": key,
    }
    try:
        return email_deliver(**message)
    except (smtplib.SMTPException, OSError) as error:
        if attempt >= settings.SOCIALGUARD_EMAIL_ATTEMPTS:
            raise
        run_after = timezone.now() + email_retry_delay(attempt)
        send_email.using(run_after=run_after).enqueue(**message, attempt=attempt + 1)
        logger.warning(
            "mail %s not sent (try %d): %s; tried again after %s",
            key or category,
            attempt,
            error,
            run_after.isoformat(timespec="seconds"),
        )
        return 0
