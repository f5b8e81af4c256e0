"""The webhook to the school's safeguarding system: a local HTTP server receives the notice for
a new concern, checks its HMAC signature and that it carries no names; failures are tried again
with back-off and logged; the administrator's page registers it, shows the secret once and sends
a test."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from socialguard.integrations import webhooks
from socialguard.integrations.models import WebhookDelivery
from socialguard.integrations.tasks import deliver_webhook
from socialguard.safeguarding.services import concern_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_http")]

ACCOUNT = "Jordan Fairweather told me at break that an older boy keeps messaging him."
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@dataclass
class Receiver:
    url: str
    answers: list[int] = field(default_factory=list)  # status codes to give, then 200
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def allow_http() -> Iterator[None]:
    with override_settings(SOCIALGUARD_WEBHOOK_ALLOW_HTTP=True):
        yield


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((dict(self.headers.items()), body))
            self.send_response(state.answers.pop(0) if state.answers else 200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/cpoms"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    fields = dict(part.split("=", 1) for part in headers["X-Socialguard-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), fields["v1"])


def _record(cast: Any) -> Any:
    return concern_record(
        by=cast.teacher,
        pupils=[cast.pupil],
        unlisted_pupils=["Jordan Fairweather"],
        occurred_at=timezone.now() - timedelta(hours=1),
        location="Playground",
        categories=["disclosure_abuse", "bullying"],
        account=ACCOUNT,
    )


def test_a_new_concern_sends_a_signed_notice_with_no_names(
    cast: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    # Given the administrator registered the school's safeguarding system
    _, secret = webhooks.webhook_save(
        organisation=cast.organisation, url=receiver.url, by=cast.admin
    )
    # When a teacher records a concern
    with django_capture_on_commit_callbacks(execute=True):
        concern = _record(cast)
    # Then one notice arrives, signed with the secret
    [(headers, body)] = receiver.received
    assert _verify(secret, headers, body)
    assert not _verify("another-secret", headers, body)
    assert headers["X-Socialguard-Event"] == "concern.recorded"
    notice = json.loads(body)
    assert set(notice) == {"id", "event", "category", "categories", "recorded_at", "link"}
    assert notice["link"].endswith(f"/safeguarding/{concern.pk}/")
    assert notice["category"] == notice["categories"][0]
    assert notice["recorded_at"] == concern.created_at.isoformat(timespec="seconds")
    # And nothing names the pupils, the reporter or what happened
    sent = (body.decode() + json.dumps(headers)).casefold()
    for secret_word in (
        cast.pupil.first_name,
        cast.pupil.last_name,
        "Jordan",
        "Fairweather",
        cast.teacher.last_name,
        cast.teacher.username,
        "older boy",
        "Playground",
    ):
        assert secret_word.casefold() not in sent
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 1


def test_no_webhook_or_a_turned_off_one_sends_nothing(
    cast: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    webhooks.webhook_save(
        organisation=cast.organisation, url=receiver.url, enabled=False, by=cast.admin
    )
    with django_capture_on_commit_callbacks(execute=True):
        _record(cast)
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


@override_settings(TASKS=DB_TASKS, SOCIALGUARD_WEBHOOK_ATTEMPTS=3)
def test_a_failure_is_tried_again_with_back_off_then_given_up(
    cast: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    webhook, _ = webhooks.webhook_save(
        organisation=cast.organisation, url=receiver.url, by=cast.admin
    )
    receiver.answers = [503, 500, 502]
    delivery = webhooks.webhook_test_send(webhook=webhook, by=cast.admin)
    # The first try fails: the delivery waits, and a try is queued 30 seconds on
    with django_capture_on_commit_callbacks(execute=True):
        deliver_webhook.call(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 503)
    assert delivery.last_error == "The other system answered 503."
    queued = DBTaskResult.objects.filter(task_path=deliver_webhook.module_path)
    later = [t for t in queued if t.run_after is not None]
    assert len(later) == 1 and later[0].run_after > timezone.now() + timedelta(seconds=25)
    # The second waits 60 seconds; the third is the last
    deliver_webhook.call(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=55)
    deliver_webhook.call(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    # A given-up delivery is not sent again by a stray retry
    assert deliver_webhook.call(delivery_id=delivery.pk) == ""
    assert len(receiver.received) == 3


@override_settings(TASKS=DB_TASKS)
def test_an_unreachable_system_is_logged_and_tried_again(cast: Any, receiver: Receiver) -> None:
    webhook, _ = webhooks.webhook_save(
        organisation=cast.organisation, url="http://127.0.0.1:9/nowhere", by=cast.admin
    )
    delivery = webhooks.webhook_test_send(webhook=webhook, by=cast.admin)
    deliver_webhook.call(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert delivery.last_error.startswith("The other system could not be reached")
    # When it comes back, the same delivery goes through
    webhook.url = receiver.url
    webhook.save(update_fields=["url"])
    deliver_webhook.call(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2


def test_only_https_unless_allowed(cast: Any) -> None:
    from socialguard.core.errors import ApplicationError

    strict = override_settings(SOCIALGUARD_WEBHOOK_ALLOW_HTTP=False)
    with strict, pytest.raises(ApplicationError, match="starting https://"):
        webhooks.webhook_save(
            organisation=cast.organisation, url="http://cpoms.example/hook", by=cast.admin
        )
    with pytest.raises(ApplicationError, match="starting https://"):
        webhooks.webhook_save(
            organisation=cast.organisation, url="file:///etc/passwd", by=cast.admin
        )
    with pytest.raises(ApplicationError):
        webhooks.webhook_save(
            organisation=cast.organisation, url="https://cpoms.example/hook", by=cast.teacher
        )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_registers_shows_the_secret_once_and_sends_a_test(
    cast: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(cast.admin)
    saved = client.post(
        "/integrations/webhook/", {"intent": "save", "url": receiver.url, "enabled": "on"}
    )
    assert saved.status_code == 200
    secret = saved.context["secret"]
    assert len(secret) > 30 and secret in saved.content.decode()
    again = client.get("/integrations/webhook/")
    assert secret not in again.content.decode()
    # Send test: through the task queue (immediate in tests), into the log
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/integrations/webhook/", {"intent": "test"})
    [(headers, body)] = receiver.received
    assert _verify(secret, headers, body) and json.loads(body)["event"] == "test"
    log = client.get("/integrations/webhook/").content.decode()
    assert "Delivered" in log and "Accepted (200)" in log


def test_the_page_refuses_others_and_bad_input_plainly(cast: Any) -> None:
    assert _client(cast.dsl).get("/integrations/webhook/").status_code == 403
    client = _client(cast.admin)
    assert client.post("/integrations/webhook/", {"intent": "test"}).status_code == 400
    assert client.post("/integrations/webhook/", {"intent": "nonsense"}).status_code == 400
    bad = client.post("/integrations/webhook/", {"intent": "save", "url": "not a url"})
    assert bad.status_code == 400 and "field-error" in bad.content.decode()
