"""Private by design: after a draft is checked on the page and through the API, its words are
nowhere: in no table of the database (every column of every table, sessions decoded), in no log
record (every logger, at every level), in no e-mail and in no cache. Only the count moved."""

from __future__ import annotations

import base64
import logging
import pickle
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.test import Client

from socialguard.core.tests.factories import person_with_roles
from socialguard.postcheck.models import PostCheckDay

pytestmark = pytest.mark.django_db(transaction=False)
MARK = "Quokkazephyr"  # a word found nowhere else
DRAFT = (
    f"{MARK} sports day at Stafford Junior School with Oliver Bennett, mail me at "
    f"{MARK.lower()}@roselands-stafford.e-sussex.sch.uk"
)
PORTRAIT = Path(__file__).parents[2] / "community" / "tests" / "data" / "portrait.jpg"


def _database_hits(needle: str) -> list[str]:
    """Every table and every column of the database, as stored, holding ``needle``."""
    needle = needle.lower()
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                    if isinstance(text, str) and needle in text.lower():
                        hits.append(f"{table}: {text[:80]}")
    for session in Session.objects.all():
        if needle in str(session.get_decoded()).lower():
            hits.append(f"session {session.pk}")
    return hits


def _log_hits(records: list[logging.LogRecord], needle: str) -> list[str]:
    needle = needle.lower()
    return [
        r.name
        for r in records
        if needle in r.getMessage().lower() or needle in repr(vars(r)).lower()
    ]


def _cache_hits(needle: str) -> list[str]:
    found = []
    for alias in ("default",):
        store = getattr(caches[alias], "_cache", {})
        for key, value in store.items():
            blob = value if isinstance(value, bytes) else pickle.dumps(value)
            if needle.lower().encode() in blob.lower():
                found.append(key)
    return found


def _mail_hits(needle: str) -> list[str]:
    return [m.subject for m in mail.outbox if needle.lower() in (m.subject + m.body).lower()]


def test_a_checked_draft_is_found_nowhere_only_the_count_is_kept(
    cast: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a pupil on the roster, and every logger recording everything
    person_with_roles(
        "pupil", organisation=cast.organisation, first_name="Oliver", last_name="Bennett"
    )
    caplog.set_level(logging.DEBUG)
    client = Client()
    client.force_login(cast.teacher)
    # When a teacher checks the draft with a photo on the page, and again through the API
    page = client.post("/check-my-post/", {"text": DRAFT, "image": PORTRAIT.open("rb")})
    api = client.post(
        "/api/check-my-post",
        {"text": DRAFT, "image_base64": base64.b64encode(PORTRAIT.read_bytes()).decode()},
        content_type="application/json",
    )
    # Then both checks ran and found what the draft holds
    assert page.status_code == 200 and "Don&#x27;t name a pupil" in page.content.decode()
    assert api.status_code == 200 and {"6.1", "6.8", "6.9"} <= set(api.json()["clauses"])
    # And its words are nowhere: database, logs, mail, cache
    assert _database_hits(MARK) == []
    assert _log_hits(caplog.records, MARK) == []
    assert _mail_hits(MARK) == []
    assert _cache_hits(MARK) == []
    # And only the day's count moved
    assert PostCheckDay.objects.get(organisation=cast.organisation).checks == 2


def test_the_search_finds_a_word_wherever_it_was_kept(
    cast: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # The search above can fail: a word stored, logged, mailed or cached is found
    cast.teacher.position = f"Teacher ({MARK})"
    cast.teacher.save(update_fields=["position"])
    client = Client()
    client.force_login(cast.teacher)
    session = client.session
    session["draft"] = "a " + MARK
    session.save()
    logging.getLogger("socialguard.test").warning("checked %s", MARK)
    mail.send_mail("Draft", f"text: {MARK}", "a@example.org", ["b@example.org"])
    caches["default"].set("draft", MARK)
    assert len(_database_hits(MARK)) >= 2  # the column and the session
    assert _log_hits(caplog.records, MARK) and _mail_hits(MARK) and _cache_hits(MARK)
