"""Faults: what a bad day does, against the real processes.

1. ``kill -9`` on the worker while it runs a task (before the mail goes out, and after it went
   out but before the task was marked done): ``serve`` keeps the web server answering, starts the
   worker again, the new worker claims the dead one's task after the timeout, and the message
   reaches the outbox exactly once.
2. (PostgreSQL) the database connection is cut in the middle of a post: the author gets a plain
   503 page, and nothing is left half-written.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(condition, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return int(response.status)
    except OSError:
        return 0


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("when", ["before", "after"])
def test_a_worker_killed_mid_task_is_restarted_and_the_mail_arrives_once(
    tmp_path: Path, when: str
) -> None:
    database = tmp_path / "db.sqlite3"
    marker = tmp_path / "hung-worker-pid"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DATABASE_URL": f"sqlite:///{database}",
        "SOCIALGUARD_VAR": str(tmp_path),
        "SOCIALGUARD_HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "socialguard.config.settings.dev",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "EMAIL_BACKEND": "tests.faults_support.HangingOutboxBackend",
        "SOCIALGUARD_FAULT_MARKER": str(marker),
        "SOCIALGUARD_FAULT_WHEN": when,
        "SOCIALGUARD_WORKER_HEARTBEAT": "0.5",
        "SOCIALGUARD_TASK_RECLAIM_AFTER": "1",
        "SOCIALGUARD_CHECK_INTERVAL": "3600",
    }
    run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run([sys.executable, "-m", "socialguard.cli", "migrate", "-v", "0"], **run)  # noqa: S603
    from tests.faults_support import ENQUEUE

    subprocess.run([sys.executable, "-c", ENQUEUE], **run)  # noqa: S603
    port = _free_port()
    argv = [sys.executable, "-m", "socialguard.cli", "serve", "--no-migrate", "--workers", "1"]
    serve = subprocess.Popen(  # noqa: S603
        [*argv, "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    health = f"http://127.0.0.1:{port}/healthz"
    db = sqlite3.connect(database, timeout=20)
    try:
        _wait(lambda: _status(health) == 200, 60, "the web server")
        hung = int(_wait(lambda: marker.exists() and marker.read_text(), 60, "the task to start"))
        assert hung in _children(serve.pid)
        os.kill(hung, signal.SIGKILL)
        # The web server keeps answering while the worker is down and coming back.
        assert all(_status(health) == 200 for _ in range(10))
        _wait(
            lambda: _children(serve.pid) - {hung} and len(_children(serve.pid)) == 2,
            30,
            "a new worker",
        )

        def finished() -> str | None:
            row = db.execute(
                "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
            ).fetchone()
            return row if row and row[0] in ("SUCCESSFUL", "FAILED") else None

        status, worker_ids = _wait(finished, 60, "the task to be claimed again and finish")
        assert status == "SUCCESSFUL"
        assert worker_ids.count(",") == 1  # run by two workers: the dead one, then the new one
        subjects = [r[0] for r in db.execute("SELECT subject FROM notifications_outboxmessage")]
        assert subjects == ["A breach report is waiting to be triaged"]
        assert _status(health) == 200
    finally:
        db.close()
        children = _children(serve.pid)
        serve.send_signal(signal.SIGTERM)
        code = serve.wait(timeout=30)
    assert code == 0  # a signal to serve stops everything, cleanly
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]


ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.mark.skipif(
    not ON_POSTGRES, reason="cuts a PostgreSQL backend: runs when DATABASE_URL is one"
)
@pytest.mark.django_db(transaction=True)
def test_a_connection_cut_mid_post_says_not_saved_and_leaves_nothing_half_written(
    cast, client, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import psycopg
    from django.db import connection
    from django.urls import reverse

    from socialguard.audit.models import AuditChainHead, AuditEvent
    from socialguard.audit.selectors import audit_chain_verify
    from socialguard.community import services
    from socialguard.community.models import Contribution
    from socialguard.community.tests.factories import live_site, member
    from socialguard.moderation.models import ReviewItem

    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    before = (Contribution.objects.count(), ReviewItem.objects.count(), AuditEvent.objects.count())
    settings_dict = connection.settings_dict
    original = services.review_item_for_contribution

    def cut_then_continue(**kwargs):  # type: ignore[no-untyped-def]
        # The contribution row is written; its review item and audit event are not yet.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        with psycopg.connect(
            dbname=settings_dict["NAME"],
            user=settings_dict["USER"],
            password=settings_dict["PASSWORD"] or None,
            host=settings_dict["HOST"] or None,
            port=settings_dict["PORT"] or None,
            autocommit=True,
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return original(**kwargs)

    monkeypatch.setattr(services, "review_item_for_contribution", cut_then_continue)
    client.force_login(cast.pupil)
    url = reverse("community:contribute", args=[site.pk])
    response = client.post(url, {"kind": "post", "body": "Our trip to the seaside"})
    assert response.status_code == 503
    page = response.content.decode()
    assert "Your post was not saved, please try again." in page
    assert "Traceback" not in page and "OperationalError" not in page

    connection.close()  # the test client does not close a broken connection as a server would
    after = (Contribution.objects.count(), ReviewItem.objects.count(), AuditEvent.objects.count())
    assert after == before  # nothing half-written: no contribution without its review item
    assert audit_chain_verify().ok  # and no gap in the audit trail
    assert sum(AuditChainHead.objects.values_list("seq", flat=True)) == before[2]

    monkeypatch.setattr(services, "review_item_for_contribution", original)
    assert client.post(url, {"kind": "post", "body": "Our trip to the seaside"}).status_code == 302
    contribution = Contribution.objects.get(body="Our trip to the seaside")
    assert ReviewItem.objects.filter(contribution=contribution).count() == 1
