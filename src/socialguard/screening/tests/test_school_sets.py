"""The project's own school-style data: the frozen hold-out v2 and the generated training set."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from socialguard.screening.training import school_sets

HOLDOUT = Path(__file__).parent / "data" / "school_holdout_v2.jsonl"
ROLES = {"pupil", "staff", "parent", "public"}
DSL_HEADS = {"self_harm", "abuse_disclosure", "bullying", "radicalisation", "threat"}


def _read(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _expected_routing(heads: list[str]) -> list[str]:
    routes = {"dsl"} if DSL_HEADS & set(heads) else set()
    if "grooming" in heads:
        routes |= {"dsl", "police_ceop"}
    return sorted(routes)


def test_holdout_v2_has_the_promised_shape_and_consistent_routing() -> None:
    rows = _read(HOLDOUT)
    assert len(rows) >= 360
    assert [r["id"] for r in rows] == list(range(1, len(rows) + 1))
    per_head = Counter(h for r in rows for h in r["heads"])  # type: ignore[attr-defined]
    assert set(per_head) == set(school_sets.HEADS)
    assert min(per_head.values()) >= 25, per_head
    assert sum(not r["heads"] for r in rows) >= 110
    for row in rows:
        assert row["audience"] == "official_site"
        assert row["author_role"] in ROLES
        assert row["routing"] == _expected_routing(row["heads"]), row  # type: ignore[arg-type]


def test_committed_training_set_is_what_the_script_builds() -> None:
    # A hand edit to school_train.jsonl would silently drift from the script; rebuild and compare.
    assert school_sets.OUT.read_text(encoding="utf-8") == school_sets.serialise(school_sets.build())


def test_training_set_is_deduplicated_balanced_and_never_contains_the_holdout() -> None:
    rows = _read(school_sets.OUT)
    keys = [school_sets.norm(str(r["text"])) for r in rows]
    assert len(keys) == len(set(keys))
    school_sets.assert_no_leak(rows)
    held = {school_sets.norm(str(r["text"])) for r in _read(HOLDOUT)}
    assert not held & set(keys)
    tally = school_sets.counts(rows)
    assert all(1500 <= tally[h] <= 3000 for h in school_sets.HEADS), tally
    assert tally["benign"] >= 0.4 * len(rows)
    assert {r["source"] for r in rows} == {"template", "hand"}
    # a bound on what each rebuild adds to history (round 3 added 1,314 hand-written sentences)
    assert school_sets.OUT.stat().st_size < 6_500_000
