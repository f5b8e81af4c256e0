"""At least once, never twice: tasks of a dead worker are claimed again; mail is sent once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from socialguard.notifications.models import EmailDelivery, OutboxMessage
from socialguard.notifications.services import email_deliver
from socialguard.notifications.worker import MAX_ATTEMPTS, tasks_reclaim_stale, worker_beat

pytestmark = pytest.mark.django_db
RECLAIM = {"running_for": timedelta(minutes=5), "heartbeat_grace": timedelta(seconds=30)}


def _running(*, worker_ids: list[str], minutes_ago: float) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=now - timedelta(minutes=minutes_ago),
        args_kwargs={"args": [], "kwargs": {}},
        task_path="socialguard.notifications.tasks.send_email",
        worker_ids=worker_ids,
        backend_name="default",
        run_after=now,
    )


def test_a_task_of_a_dead_worker_is_claimed_again_after_the_timeout() -> None:
    dead = _running(worker_ids=["dead-1"], minutes_ago=6)
    recent = _running(worker_ids=["dead-2"], minutes_ago=1)
    worker_beat(worker_id="alive", now=timezone.now())
    slow = _running(worker_ids=["alive"], minutes_ago=60)
    lines = tasks_reclaim_stale(**RECLAIM)
    assert len(lines) == 1 and "dead-1 died" in lines[0]
    statuses = {r.pk: r.status for r in DBTaskResult.objects.all()}
    assert statuses[dead.pk] == TaskResultStatus.READY
    assert statuses[recent.pk] == statuses[slow.pk] == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.ready().filter(pk=dead.pk).exists()


def test_a_worker_whose_beat_stopped_is_dead() -> None:
    worker_beat(worker_id="gone", now=timezone.now() - timedelta(minutes=2))
    task = _running(worker_ids=["gone"], minutes_ago=10)
    tasks_reclaim_stale(**RECLAIM)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def test_a_task_that_keeps_killing_its_worker_fails_instead_of_looping() -> None:
    task = _running(worker_ids=[f"w{n}" for n in range(MAX_ATTEMPTS)], minutes_ago=10)
    tasks_reclaim_stale(**RECLAIM)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and "died" in task.traceback


def _send(key: str) -> int:
    return email_deliver(
        to=["head@example.sch.uk"],
        subject="Waiting",
        body="B",
        organisation_id=None,
        category="test",
        key=key,
    )


def test_the_same_key_is_sent_once() -> None:
    assert _send("breach.report.received:1") == 1
    assert _send("breach.report.received:1") == 0
    assert _send("breach.report.received:2") == 1
    assert len(mail.outbox) == 2
    assert mail.outbox[0].extra_headers["Message-ID"].endswith("@socialguard.invalid>")


@override_settings(EMAIL_BACKEND="socialguard.notifications.backends.DatabaseOutboxBackend")
def test_the_outbox_keeps_one_copy_even_if_the_delivery_was_not_recorded() -> None:
    _send("breach.report.received:1")
    EmailDelivery.objects.all().delete()  # the worker died between sending and recording
    _send("breach.report.received:1")
    assert OutboxMessage.objects.filter(idempotency_key="breach.report.received:1").count() == 1
