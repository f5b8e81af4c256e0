"""The worker's pulse, and claiming again the tasks of a worker that died.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again, so a
worker killed mid-task (``kill -9``, out of memory, the machine lost) would leave its task RUNNING
for ever: the head's "a breach report is waiting" never goes out. Every worker therefore beats
(``worker_beat``) and, on the same clock, sets back to READY any task that has been RUNNING for
longer than ``running_for`` on a worker whose beat has stopped (``tasks_reclaim_stale``). Tasks run
at least once; every task is idempotent (mail carries a key: see ``EmailDelivery``), so a retry
changes nothing twice. A task that has killed its worker ``MAX_ATTEMPTS`` times is marked FAILED
instead of being retried for ever.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from socialguard.notifications.models import WorkerHeartbeat

MAX_ATTEMPTS = 5
WORKER_LOST = "socialguard.notifications.worker.WorkerLost"


class WorkerLost(Exception):
    """Recorded on a task whose workers kept dying while they ran it."""


def worker_id_new() -> str:
    """Unique across the pool and readable in the task table: host, process, and a random tail."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


def worker_beat(*, worker_id: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "host": socket.gethostname()[:100],
                "pid": os.getpid(),
                "started_at": now,
                "beat_at": now,
            },
        )


def tasks_reclaim_stale(
    *, running_for: timedelta, heartbeat_grace: timedelta, now: datetime | None = None
) -> list[str]:
    """Set back to READY the tasks RUNNING for longer than ``running_for`` whose worker has not
    beaten for ``heartbeat_grace``. Safe to run from every worker at once: each row changes only
    if it is still RUNNING with the same start time."""
    now = now or timezone.now()
    live = set(
        WorkerHeartbeat.objects.filter(beat_at__gte=now - heartbeat_grace).values_list(
            "worker_id", flat=True
        )
    )
    lines = []
    stale = DBTaskResult.objects.running().filter(started_at__lt=now - running_for)
    for row in stale.only("id", "started_at", "worker_ids", "task_path"):
        worker = row.worker_ids[-1] if row.worker_ids else ""
        if worker in live:
            continue  # slow, not dead
        same = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if len(row.worker_ids) >= MAX_ATTEMPTS:
            same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=WORKER_LOST,
                traceback=f"Its worker died while running it {len(row.worker_ids)} times.",
            )
            lines.append(f"task {row.pk} ({row.task_path}) failed: its worker died each time")
        elif same.update(status=TaskResultStatus.READY):
            lines.append(f"task {row.pk} ({row.task_path}) claimed again: worker {worker} died")
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
    return lines
