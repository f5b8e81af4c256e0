"""The trained text classifier behind the abuse and safeguarding detectors.

Labels (see ``training/train.py`` for the data and splits, ``models/metrics.json`` for figures):
  hate       hate speech against people for who they are          -> A.5.6 signal
  offensive  offensive or abusive language                        -> A.4.5 / 5.5 signal
  targeted   an insult aimed at someone                           -> 5.5 signal
Runtime needs only numpy: a dictionary lookup per feature and a sum per label, no scikit-learn,
no network. The model loads once per process.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from socialguard.screening.features import features

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "classifier.npz"


class TextClassifier:
    def __init__(
        self,
        *,
        labels: Sequence[str],
        vocabulary: Sequence[str],
        weights: np.ndarray,
        biases: np.ndarray,
    ) -> None:
        self.labels = tuple(labels)
        self._index = {feature: i for i, feature in enumerate(vocabulary)}
        # Column-per-feature as Python lists: summing a few hundred floats in Python beats numpy's
        # per-call overhead for one short message.
        self._columns = [tuple(float(w) for w in column) for column in weights.T.astype(np.float32)]
        self._biases = tuple(float(b) for b in biases)
        self._matrix = np.ascontiguousarray(weights.T.astype(np.float32))  # features x labels
        self._bias_vector = np.asarray(biases, dtype=np.float32)

    @classmethod
    def load(cls, path: Path | str) -> TextClassifier:
        with np.load(Path(path), allow_pickle=False) as data:
            return cls(
                labels=[str(x) for x in data["labels"]],
                vocabulary=[str(x) for x in data["vocabulary"]],
                weights=data["weights"],
                biases=data["biases"],
            )

    @classmethod
    def default(cls) -> TextClassifier:
        return _default()

    def scores(self, text: str) -> dict[str, float]:
        totals = list(self._biases)
        index, columns = self._index, self._columns
        for feature in features(text):
            position = index.get(feature)
            if position is not None:
                column = columns[position]
                for label in range(len(totals)):
                    totals[label] += column[label]
        return {
            label: 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, t))))
            for label, t in zip(self.labels, totals, strict=True)
        }

    def scores_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """One gather and one segmented sum in numpy for the whole batch."""
        index = self._index
        rows: list[int] = []
        starts: list[int] = []
        for text in texts:
            starts.append(len(rows))
            rows.extend(p for p in map(index.get, features(text)) if p is not None)
        if not texts:
            return []
        totals = np.tile(self._bias_vector, (len(texts), 1))
        if rows:
            gathered = self._matrix[np.asarray(rows, dtype=np.int64)]
            counts = np.diff(np.asarray([*starts, len(rows)]))
            nonempty = counts > 0
            sums = np.add.reduceat(gathered, np.asarray(starts)[nonempty], axis=0)
            totals[nonempty] += sums
        probabilities = 1.0 / (1.0 + np.exp(-np.clip(totals, -30.0, 30.0)))
        return [
            dict(zip(self.labels, (float(p) for p in row), strict=True)) for row in probabilities
        ]


@lru_cache(maxsize=1)
def _default() -> TextClassifier:
    return TextClassifier.load(DEFAULT_MODEL)
