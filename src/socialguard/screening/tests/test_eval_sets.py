"""The identity hold-out and the counter-speech development set: well formed, and apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
HATEFUL_KINDS = {
    "identity_holdout.jsonl": {
        "derogation",
        "dehumanisation",
        "threat",
        "exclusion",
        "implicit",
        "spelling_evasion",
        "hateful_question",
    },
    "counter_dev.jsonl": {"fake_counter", "hateful_negation"},
}


def _rows(name: str) -> list[dict[str, object]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _key(text: object) -> str:
    return " ".join(str(text).lower().split())


@pytest.mark.parametrize("name", sorted(HATEFUL_KINDS))
def test_each_set_is_well_formed(name: str) -> None:
    rows = _rows(name)
    assert [r["id"] for r in rows] == list(range(1, len(rows) + 1))
    assert len({_key(r["text"]) for r in rows}) == len(rows)
    for row in rows:
        assert row["hateful"] == (row["kind"] in HATEFUL_KINDS[name]), row
        assert row.get("author_role", "public") in {"pupil", "parent", "public"}


def test_the_development_set_holds_no_hold_out_text() -> None:
    held = {_key(r["text"]) for r in _rows("identity_holdout.jsonl")}
    assert not held & {_key(r["text"]) for r in _rows("counter_dev.jsonl")}
