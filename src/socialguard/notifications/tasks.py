from __future__ import annotations

from django_tasks import task

from socialguard.notifications.services import email_deliver


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    organisation_id: int | None,
    category: str,
    key: str = "",
) -> int:
    """Idempotent: run twice with the same key (a retry after a worker died), it sends once."""
    return email_deliver(
        to=to,
        subject=subject,
        body=body,
        organisation_id=organisation_id,
        category=category,
        key=key,
    )
