"""Helpers the fault tests load into the processes they break (not collected as tests).

``HangingOutboxBackend`` is the outbox backend with a pause, before or after it writes the copy
(``SOCIALGUARD_FAULT_WHEN``), the first time only: it writes its process id to the marker file
(``SOCIALGUARD_FAULT_MARKER``) and sleeps, so the test knows whom to ``kill -9`` and when.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

from django.core.mail.message import EmailMessage

from socialguard.notifications.backends import DatabaseOutboxBackend


class HangingOutboxBackend(DatabaseOutboxBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        marker = Path(os.environ["SOCIALGUARD_FAULT_MARKER"])
        first = not marker.exists()
        if first and os.environ.get("SOCIALGUARD_FAULT_WHEN") == "before":
            self._hang(marker)
        sent = super().send_messages(email_messages)
        if first and os.environ.get("SOCIALGUARD_FAULT_WHEN") == "after":
            self._hang(marker)
        return sent

    @staticmethod
    def _hang(marker: Path) -> None:
        marker.write_text(str(os.getpid()))
        time.sleep(120)


ENQUEUE = """
import django
django.setup()
from django.db import transaction
from socialguard.notifications.services import email_after_commit
with transaction.atomic():
    email_after_commit(recipients=["head@example.sch.uk"],
                       subject="A breach report is waiting to be triaged",
                       template="notifications/email/test.txt", context={"name": "Helen"},
                       organisation_id=None, category="cases.breach")
"""
