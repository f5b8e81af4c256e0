from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from socialguard.notifications.models import OutboxMessage


def outbox_for(user: Any) -> QuerySet[OutboxMessage]:
    messages = OutboxMessage.objects.all()
    if not user.is_superuser:
        messages = messages.filter(organisation_id=user.organisation_id)
    return messages
