from __future__ import annotations

from django_tasks import task

from socialguard.integrations.webhooks import webhook_deliver


@task()
def deliver_webhook(*, delivery_id: int) -> str:
    """Idempotent: a delivery no longer waiting (delivered, given up) is not sent again."""
    delivery = webhook_deliver(delivery_id=delivery_id)
    return "" if delivery is None else delivery.status
