"""An e-mail backend that keeps messages in the database instead of sending them (the demo)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

ORGANISATION_HEADER = "X-Socialguard-Organisation"
CATEGORY_HEADER = "X-Socialguard-Category"
KEY_HEADER = "X-Socialguard-Key"


class DatabaseOutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from socialguard.notifications.models import OutboxMessage

        for message in email_messages:
            org = message.extra_headers.get(ORGANISATION_HEADER)
            fields = {
                "organisation_id": int(org) if org else None,
                "from_email": message.from_email,
                "to": list(message.to) + list(message.cc) + list(message.bcc),
                "subject": str(message.subject),
                "body": str(message.body),
                "category": message.extra_headers.get(CATEGORY_HEADER, ""),
            }
            key = message.extra_headers.get(KEY_HEADER)
            if key:
                # A retried task delivers the same key again: keep the first copy only.
                OutboxMessage.objects.get_or_create(idempotency_key=key, defaults=fields)
            else:
                OutboxMessage.objects.create(**fields)
        return len(email_messages)
