"""Train the screening classifier from the public labelled data in ../shared/data.

    .venv/bin/python -m socialguard.screening.training.train --data /work/shared/data \
        --out src/socialguard/screening/models/

Three independent logistic regressions over the features in ``screening.features``:
  hate       hate speech against people for who they are (Davidson class 0, HateXplain majority
             'hatespeech'); feeds A.5.6
  offensive  offensive or abusive language (Davidson 0/1, OLID OFF, HateXplain 0/2); feeds A.4.5/5.5
  targeted   an insult aimed at someone (OLID level B 'TIN'); feeds 5.5
Held out, never trained on: a fixed 20 % of Davidson (seeded), the OLID test set, the HateXplain
test split. The eval-only sets are never read here. Output: classifier.npz (vocabulary, weights,
biases, labels) and metrics.json (held-out precision / recall / F1 per label).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from socialguard.screening.features import features

LABELS = ("hate", "offensive", "targeted")
SEED = 20261124
csv.field_size_limit(sys.maxsize)


def _davidson(
    data: Path,
) -> tuple[list[tuple[str, dict[str, int]]], list[tuple[str, dict[str, int]]]]:
    rows = []
    with (data / "davidson" / "data_labeled_data.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cls = int(row["class"])
            rows.append((row["tweet"], {"hate": int(cls == 0), "offensive": int(cls in (0, 1))}))
    random.Random(SEED).shuffle(rows)  # noqa: S311 - a reproducible split, not a secret
    cut = len(rows) // 5
    return rows[cut:], rows[:cut]


def _olid(data: Path) -> tuple[list[tuple[str, dict[str, int]]], list[tuple[str, dict[str, int]]]]:
    train = []
    with (data / "olid" / "olid-training-v1.0.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            labels = {"offensive": int(row["subtask_a"] == "OFF")}
            labels["targeted"] = int(row["subtask_b"] == "TIN")
            train.append((row["tweet"], labels))
    tests = {}
    with (data / "olid" / "testset-levela.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            tests[row["id"]] = row["tweet"]
    gold = {}
    with (data / "olid" / "labels-levela.csv").open(encoding="utf-8") as handle:
        gold = {r[0]: r[1] for r in csv.reader(handle)}
    test = [(text, {"offensive": int(gold[i] == "OFF")}) for i, text in tests.items() if i in gold]
    return train, test


def _hatexplain(path: Path) -> list[tuple[str, dict[str, int]]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            votes = Counter(ast.literal_eval(row["annotators"])["label"])
            label, count = votes.most_common(1)[0]
            if count < 2:
                continue  # no majority: the annotators disagreed
            text = " ".join(ast.literal_eval(row["post_tokens"]))
            rows.append((text, {"hate": int(label == 0), "offensive": int(label in (0, 2))}))
    return rows


def load(
    data: Path,
) -> tuple[list[tuple[str, dict[str, int]]], dict[str, list[tuple[str, dict[str, int]]]]]:
    d_train, d_test = _davidson(data)
    o_train, o_test = _olid(data)
    hx = data / "hatexplain"
    train = d_train + o_train + _hatexplain(hx / "val_processed_shivam0109.csv")
    held_out = {
        "davidson_20pct": d_test,
        "olid_test": o_test,
        "hatexplain_test": _hatexplain(hx / "test_processed_shivam0109.csv"),
    }
    return train, held_out


def fit(train: list[tuple[str, dict[str, int]]], *, min_df: int) -> dict[str, object]:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for text, _ in train for f in features(text))
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_df))}
    weights = np.zeros((len(LABELS), len(vocab)), dtype=np.float32)
    biases = np.zeros(len(LABELS), dtype=np.float32)
    for index, label in enumerate(LABELS):
        rows = [(t, y[label]) for t, y in train if label in y]
        indptr, indices = [0], []
        for text, _ in rows:
            indices.extend(sorted(vocab[f] for f in features(text) if f in vocab))
            indptr.append(len(indices))
        x = csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr),
            shape=(len(rows), len(vocab)),
        )
        y = np.array([label_value for _, label_value in rows])
        model = LogisticRegression(
            C=0.5, max_iter=2000, class_weight="balanced", solver="liblinear"
        )
        model.fit(x, y)
        weights[index] = model.coef_[0]
        biases[index] = model.intercept_[0]
        print(f"trained {label}: {len(rows)} rows, {int(y.sum())} positive", file=sys.stderr)
    return {"vocab": vocab, "weights": weights, "biases": biases}


def save(model: dict[str, object], out: Path) -> Path:
    vocab: dict[str, int] = model["vocab"]  # type: ignore[assignment]
    weights: np.ndarray = model["weights"]  # type: ignore[assignment]
    keep = np.abs(weights).max(axis=0) >= 0.05  # drop features that move no label
    kept = [f for f, i in sorted(vocab.items(), key=lambda kv: kv[1]) if keep[i]]
    out.mkdir(parents=True, exist_ok=True)
    path = out / "classifier.npz"
    np.savez_compressed(
        path,
        labels=np.array(LABELS),
        vocabulary=np.array(kept),
        weights=weights[:, keep].astype(np.float16),
        biases=np.asarray(model["biases"]),
    )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "models")
    parser.add_argument("--min-df", type=int, default=3)
    args = parser.parse_args(argv)
    train, held_out = load(args.data)
    print(f"training rows: {len(train)}", file=sys.stderr)
    path = save(fit(train, min_df=args.min_df), args.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    from socialguard.screening.training.evaluate import evaluate_held_out

    metrics = evaluate_held_out(model_path=path, held_out=held_out)
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(metrics, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
