"""An e-mail backend that keeps messages in the database instead of sending them (the demo)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

ORGANISATION_HEADER = "X-Socialguard-Organisation"
CATEGORY_HEADER = "X-Socialguard-Category"


class DatabaseOutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from socialguard.notifications.models import OutboxMessage

        for message in email_messages:
            org = message.extra_headers.get(ORGANISATION_HEADER)
            OutboxMessage.objects.create(
                organisation_id=int(org) if org else None,
                from_email=message.from_email,
                to=list(message.to) + list(message.cc) + list(message.bcc),
                subject=str(message.subject),
                body=str(message.body),
                category=message.extra_headers.get(CATEGORY_HEADER, ""),
            )
        return len(email_messages)
