"""SQLite writers queue on a file lock held exactly for the length of a transaction."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest
from django.db.utils import ConnectionHandler

# Our own connections to throwaway files; the mark only lifts pytest-django's block on them.
pytestmark = pytest.mark.django_db


def _wrapper(name: str):  # type: ignore[no-untyped-def]
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "socialguard.core.sqlite",
                "NAME": name,
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 5},
            }
        }
    )
    return handler["default"]


def _free(path: Path) -> bool:
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


@pytest.mark.parametrize("finish", ["commit", "rollback", "close"])
def test_the_lock_is_held_for_the_transaction_only(tmp_path: Path, finish: str) -> None:
    database = tmp_path / "db.sqlite3"
    lock = Path(f"{database}.write-lock")
    connection = _wrapper(str(database))
    connection.ensure_connection()
    connection.cursor().execute("CREATE TABLE t (x INTEGER)")
    assert not lock.exists() or _free(lock)

    connection._start_transaction_under_autocommit()
    connection.cursor().execute("INSERT INTO t VALUES (1)")
    assert not _free(lock)  # another writer, in any thread or process, now waits

    getattr(connection, finish)()
    assert _free(lock)
    if finish != "close":
        connection.close()


def test_an_in_memory_database_takes_no_lock(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    connection = _wrapper(":memory:")
    connection.ensure_connection()
    connection._start_transaction_under_autocommit()
    connection.commit()
    assert list(tmp_path.iterdir()) == []
