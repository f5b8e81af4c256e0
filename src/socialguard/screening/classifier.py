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
        return [self.scores(text) for text in texts]


@lru_cache(maxsize=1)
def _default() -> TextClassifier:
    return TextClassifier.load(DEFAULT_MODEL)
