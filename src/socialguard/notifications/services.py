"""Notifications go out after the change that caused them has committed, through the worker.

A rolled-back change therefore never sends mail, and a slow mail server never slows a page.
Each message carries an idempotency key fixed when it is queued, so the worker's at-least-once
retries (a task whose worker died is run again) never send it twice.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.html import escape

from socialguard.notifications.backends import CATEGORY_HEADER, KEY_HEADER, ORGANISATION_HEADER
from socialguard.notifications.models import EmailDelivery


def email_after_commit(
    *,
    recipients: Iterable[Any],
    subject: str,
    template: str,
    context: dict[str, Any],
    organisation_id: int | None,
    category: str = "",
    key: str = "",
) -> None:
    """Render now (inside the transaction, with the data as it is) and send after commit.

    ``recipients`` are people (with an ``email``) or addresses. People without an address are
    skipped: they see the same information on their dashboard. ``key`` names what the message is
    for ("breach.report.received:42"): a second call with the same key sends nothing. Without
    one, each call is its own message and gets a fresh key.
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
    key = (key or f"{category or 'mail'}:{organisation_id or 0}:{uuid.uuid4().hex}")[:120]

    def enqueue() -> None:
        from socialguard.notifications.tasks import send_email

        send_email.enqueue(
            to=addresses,
            subject=subject,
            body=body,
            organisation_id=organisation_id,
            category=category,
            key=key,
        )

    transaction.on_commit(enqueue)


def email_deliver(
    *,
    to: list[str],
    subject: str,
    body: str,
    organisation_id: int | None,
    category: str,
    key: str = "",
) -> int:
    """Send one message, at most once per key (a task queued before keys existed has none)."""
    if key and EmailDelivery.objects.filter(key=key).exists():
        return 0
    headers = {CATEGORY_HEADER: category}
    if organisation_id:
        headers[ORGANISATION_HEADER] = str(organisation_id)
    if key:
        headers[KEY_HEADER] = key
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        headers["Message-ID"] = f"<{digest}@socialguard.invalid>"
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to, headers=headers
    )
    message.attach_alternative(email_html(body), "text/html")
    sent = message.send()
    if key:
        EmailDelivery.objects.get_or_create(key=key)
    return sent


_LINK = re.compile(r"(https?://[^\s<>\"]+)")


def email_html(body: str) -> str:
    """The HTML part of a message: the same words as its plain-text part (paragraphs kept,
    addresses made links), escaped, so that a mail client that prefers HTML shows no more and
    no less than the text."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
    parts = []
    for paragraph in paragraphs:
        html = _LINK.sub(r'<a href="\1">\1</a>', escape(paragraph)).replace("\n", "<br>\n")
        parts.append(f"<p>{html}</p>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"></head>\n'
        '<body style="font-family: sans-serif; line-height: 1.5">\n'
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def email_retry_delay(attempt: int) -> timedelta:
    """How long to wait before the next try after ``attempt`` failed: one minute, doubling, at
    most an hour (a relay down for maintenance is retried for most of a day)."""
    return timedelta(minutes=min(2 ** (attempt - 1), 60))
