"""The training code's promises that the product's figures rest on (no torch needed here)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from socialguard.screening.semantic import CONTEXT_DIMS, MODELS, SemanticModel
from socialguard.screening.training.datasets import ENCODER_HAND_LINES, HEADS, PROJECT_DATA, Row
from socialguard.screening.training.finetune import HELD_FOLD, encoder_rows
from socialguard.screening.training.semantic import FOLDS, split, tuned_without, unread


def _rows() -> list[Row]:
    rows = [Row(f"public {n}", {"hate": n % 2}, "davidson") for n in range(400)]
    rows += [Row(f"template {n}", dict.fromkeys(HEADS, 0), "school_template") for n in range(50)]
    for group in range(1, 41):
        for form in ("as written", "re-typed"):
            rows.append(Row(f"hand {group} {form}", dict.fromkeys(HEADS, 0), "school_hand", group))
    return rows


def test_the_fine_tuned_encoder_never_reads_the_rows_that_choose_its_thresholds() -> None:
    rows = _rows()
    _base, val_idx, fold = split(rows)
    learnt = set(encoder_rows(rows).tolist())
    held = {int(i) for i in val_idx if fold[i] == HELD_FOLD}
    public_validation = {int(i) for i in val_idx if fold[i] == -1}
    assert held and public_validation
    assert not learnt & held
    assert not learnt & public_validation
    # every other hand-written row is read, and a sentence and its re-typed copy stay together
    other_hand = {int(i) for i in val_idx if fold[i] >= 0 and fold[i] != HELD_FOLD}
    assert other_hand <= learnt
    assert len({fold[i] for i in val_idx if rows[i].group == 7}) == 1
    assert set(fold[val_idx].tolist()) == {-1, *range(FOLDS)}


def test_lines_written_after_the_fine_tuning_leave_its_rows_and_folds_as_they_were() -> None:
    rows = _rows()
    _base, _val, fold = split(rows)
    learnt = encoder_rows(rows)
    later = [
        Row(f"later {g} {form}", dict.fromkeys(HEADS, 0), "school_hand", ENCODER_HAND_LINES + g)
        for g in range(1, 21)
        for form in ("as written", "re-typed")
    ]
    grown = rows + later
    _base2, _val2, fold2 = split(grown)
    np.testing.assert_array_equal(fold2[: len(rows)], fold)
    np.testing.assert_array_equal(encoder_rows(grown), learnt)  # the encoder reads the same
    assert set(fold2[len(rows) :].tolist()) == set(range(FOLDS))  # later lines: every fold


def test_thresholds_are_chosen_only_on_rows_the_fine_tuned_encoder_never_read(
    tmp_path: Path,
) -> None:
    assert tuned_without(tmp_path) is None  # the original encoder read none: every row scores
    rows = _rows()
    _base, val_idx, fold = split(rows)
    read = frozenset(int(g) for g in range(1, 31))  # groups 31 to 40 were written afterwards
    (tmp_path / "encoder.json").write_text(
        json.dumps({"held_fold": 0, "read_groups": sorted(read)}), encoding="utf-8"
    )
    assert tuned_without(tmp_path) == read
    chosen = val_idx[unread(rows, val_idx, fold, read)]
    assert {rows[i].group for i in chosen if rows[i].source == "school_hand"} == set(range(31, 41))
    assert {int(i) for i in val_idx if fold[i] == -1} <= set(chosen.tolist())


def test_the_shipped_encoder_names_the_rows_it_read_and_they_are_its_training_rows() -> None:
    about = json.loads((MODELS / "encoder.json").read_text(encoding="utf-8"))
    read = set(about["read_groups"])
    assert read and about["held_fold"] == HELD_FOLD
    # the rows it read are hand-written lines; none of them may choose a threshold
    assert min(read) >= 1 and max(read) <= sum(
        1 for _ in (PROJECT_DATA / "school_hand.jsonl").open()
    )


def test_the_contextual_heads_read_the_mean_and_the_maximum_and_examples_the_mean() -> None:
    model = SemanticModel(MODELS)
    texts = ["i dont hate them at all", "we hate them"]
    vectors = model.context_vectors(texts)
    mean, peak = model.contextual.read(texts)
    assert vectors.shape == (2, model.context_heads.dims)
    # the DSL's examples are matched by the first CONTEXT_DIMS values: the mean vector
    np.testing.assert_allclose(vectors[:, :CONTEXT_DIMS], model.contextual.encode(texts))
    np.testing.assert_allclose(vectors[:, :CONTEXT_DIMS], mean)
    if model.context_heads.dims == 2 * CONTEXT_DIMS:
        np.testing.assert_allclose(vectors[:, CONTEXT_DIMS:], peak)
    np.testing.assert_allclose(np.linalg.norm(peak, axis=1), 1.0, rtol=1e-5)
    assert not np.allclose(mean, peak)
