"""Telling the school's existing safeguarding system (CPOMS, MyConcern) that a concern exists.

Each new concern queues one notice per organisation webhook: the categories, the time and a link
to the concern in socialguard, which only the safeguarding leads can open. Never the account, a
name or the reporter: safeguarding builds the notice (``ConcernNotice``) and nothing else
reaches here. The body is signed with HMAC-SHA256 over ``"<timestamp>.<body>"`` using the
webhook's secret, sent as ``X-Socialguard-Signature: t=<timestamp>,v1=<hex>``; the receiver
recomputes it and refuses an old timestamp (a replay).

Sending happens after commit, through the task queue; a failure is tried again with back-off
(30 seconds, doubling, at most an hour apart) and every try is in the delivery log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from socialguard.accounts.models import Organisation, User
from socialguard.accounts.secrets import decrypt, encrypt
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError
from socialguard.integrations.models import Webhook, WebhookDelivery
from socialguard.integrations.selectors import check_manager

SIGNATURE_HEADER = "X-Socialguard-Signature"
USER_AGENT = "socialguard-webhook/1"


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    allowed = {"https", "http"} if settings.SOCIALGUARD_WEBHOOK_ALLOW_HTTP else {"https"}
    if parts.scheme not in allowed or not parts.hostname:
        raise ApplicationError(
            "Give the full address the other system gave you, starting https://."
        )
    if parts.username or parts.password:
        raise ApplicationError("Leave any user name or password out of the address.")
    return url


@transaction.atomic
def webhook_save(
    *, organisation: Organisation, url: str, enabled: bool = True, by: User | None
) -> tuple[Webhook, str]:
    """Register or change the webhook. Returns it and, when it is new, its secret: shown once,
    for the administrator to give to the other system."""
    check_manager(user=by, organisation=organisation)
    url = _check_url(url)
    webhook = Webhook.objects.filter(organisation=organisation).first()
    secret = ""
    if webhook is None:
        secret = secrets.token_urlsafe(32)
        webhook = Webhook.objects.create(
            organisation=organisation,
            url=url,
            secret=encrypt(secret),
            enabled=enabled,
            created_by=by,
        )
    else:
        webhook.url, webhook.enabled = url, enabled
        webhook.save(update_fields=["url", "enabled", "updated_at"])
    audit_record(
        actor=by,
        action="integrations.webhook.save",
        target=webhook,
        organisation_id=organisation.pk,
        details={"url": url, "enabled": enabled, "new": bool(secret)},
    )
    return webhook, secret


@transaction.atomic
def webhook_secret_renew(*, webhook: Webhook, by: User | None) -> str:
    check_manager(user=by, organisation=webhook.organisation)
    secret = secrets.token_urlsafe(32)
    webhook.secret = encrypt(secret)
    webhook.save(update_fields=["secret", "updated_at"])
    audit_record(
        actor=by,
        action="integrations.webhook.secret",
        target=webhook,
        organisation_id=webhook.organisation_id,
    )
    return secret


def _queue(webhook: Webhook, event: str, payload: dict[str, Any]) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.create(webhook=webhook, event=event, payload=payload)
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return delivery


def _enqueue(delivery_id: int, attempt_after: timedelta | None = None) -> None:
    from socialguard.integrations.tasks import deliver_webhook

    if attempt_after is None:
        deliver_webhook.enqueue(delivery_id=delivery_id)
    else:
        run_after = timezone.now() + attempt_after
        deliver_webhook.using(run_after=run_after).enqueue(delivery_id=delivery_id)


@transaction.atomic
def webhook_test_send(*, webhook: Webhook, by: User | None) -> WebhookDelivery:
    """The "send test" button: a notice that says it is a test, through the same path."""
    check_manager(user=by, organisation=webhook.organisation)
    delivery = _queue(
        webhook,
        WebhookDelivery.Event.TEST,
        {
            "event": "test",
            "sent_at": timezone.now().isoformat(timespec="seconds"),
            "message": "A test from socialguard: no concern was recorded.",
        },
    )
    audit_record(
        actor=by,
        action="integrations.webhook.test",
        target=webhook,
        organisation_id=webhook.organisation_id,
    )
    return delivery


def concern_notice_queue(notice: Any) -> None:
    """safeguarding's concern hook (``ConcernNotice``): runs in the recording transaction."""
    webhook = Webhook.objects.filter(organisation_id=notice.organisation_id, enabled=True).first()
    if webhook is None:
        return
    categories = list(notice.categories)
    _queue(
        webhook,
        WebhookDelivery.Event.CONCERN,
        {
            "event": "concern.recorded",
            "category": categories[0] if categories else "",
            "categories": categories,
            "recorded_at": notice.recorded_at.isoformat(timespec="seconds"),
            "link": settings.SITE_URL.rstrip("/") + notice.link,
        },
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A notice goes to the address registered, not wherever that address points."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def retry_delay(attempt: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempt - 1), 3600))


def webhook_deliver(*, delivery_id: int) -> WebhookDelivery | None:
    """One try. Not one transaction: the network call happens outside any, and the outcome is
    written after it (a lock is held only to claim the row)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("webhook")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return None  # delivered already, given up, or gone
        delivery.attempts += 1
        delivery.save(update_fields=["attempts", "updated_at"])
    webhook = delivery.webhook
    try:
        url = _check_url(webhook.url)
    except ApplicationError as refused:
        return _outcome(delivery, None, refused.message)
    body = json.dumps({"id": f"sg-{delivery.pk}", **delivery.payload}, sort_keys=True).encode()
    # http(s) only: checked when saved (_check_url), and again here.
    request = urllib.request.Request(  # noqa: S310
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Socialguard-Event": delivery.event,
            "X-Socialguard-Delivery": f"sg-{delivery.pk}",
            SIGNATURE_HEADER: sign(
                secret=decrypt(webhook.secret), timestamp=int(time.time()), body=body
            ),
        },
    )
    code, error = None, ""
    try:
        with _OPENER.open(request, timeout=settings.SOCIALGUARD_WEBHOOK_TIMEOUT) as response:
            code = response.status
    except urllib.error.HTTPError as failure:
        code, error = failure.code, f"The other system answered {failure.code}."
    except (urllib.error.URLError, OSError) as failure:
        reason = getattr(failure, "reason", failure)
        error = f"The other system could not be reached: {reason}"[:300]
    return _outcome(delivery, code, error)


def _outcome(delivery: WebhookDelivery, code: int | None, error: str) -> WebhookDelivery:
    delivery.last_status_code, delivery.last_error = code, error
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at = WebhookDelivery.Status.DELIVERED, timezone.now()
        delivery.last_error, delivery.next_attempt_at = "", None
    elif delivery.attempts >= settings.SOCIALGUARD_WEBHOOK_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
    else:
        if not error:
            error = f"The other system answered {code}."
        delivery.last_error = error
        wait = retry_delay(delivery.attempts)
        delivery.next_attempt_at = timezone.now() + wait
        transaction.on_commit(lambda: _enqueue(delivery.pk, wait))
    with transaction.atomic():
        delivery.save(
            update_fields=[
                "status",
                "last_status_code",
                "last_error",
                "next_attempt_at",
                "delivered_at",
                "updated_at",
            ]
        )
    return delivery
