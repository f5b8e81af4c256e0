"""Notifications go out after the change that caused them has committed, through the worker.

A rolled-back change therefore never sends mail, and a slow mail server never slows a page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from socialguard.notifications.backends import CATEGORY_HEADER, ORGANISATION_HEADER


def email_after_commit(
    *,
    recipients: Iterable[Any],
    subject: str,
    template: str,
    context: dict[str, Any],
    organisation_id: int | None,
    category: str = "",
) -> None:
    """Render now (inside the transaction, with the data as it is) and send after commit.

    ``recipients`` are people (with an ``email``) or addresses. People without an address are
    skipped: they see the same information on their dashboard.
    """
    addresses = sorted(
        {
            r if isinstance(r, str) else r.email
            for r in recipients
            if (r if isinstance(r, str) else r.email)
        }
    )
    if not addresses:
        return
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})

    def enqueue() -> None:
        from socialguard.notifications.tasks import send_email

        send_email.enqueue(
            to=addresses,
            subject=subject,
            body=body,
            organisation_id=organisation_id,
            category=category,
        )

    transaction.on_commit(enqueue)


def email_deliver(
    *, to: list[str], subject: str, body: str, organisation_id: int | None, category: str
) -> int:
    headers = {CATEGORY_HEADER: category}
    if organisation_id:
        headers[ORGANISATION_HEADER] = str(organisation_id)
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to, headers=headers
    )
    return message.send()
