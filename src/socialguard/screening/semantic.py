"""The semantic layer: what a message *means*, from a pretrained sentence encoder, offline.

Two stages, both built from all-MiniLM-L6-v2 by ``training/encoders.py`` (``make train``):

  fast stage        a static distillation (model2vec, 256 dimensions, int8): a message is the
                    mean of its tokens' vectors. Numpy only, tens of thousands of messages a
                    second. Every message gets it.
  contextual stage  the transformer itself (ONNX, int8), where word order matters: negation
                    ("I don't hate..."), quotes, questions, disclosures. It runs for pupils' and
                    the public's contributions and wherever the fast stage is in its grey band.

Each stage has one small network per category (64 ReLU units and a logit; a file without the
hidden layer is read as logistic regressions). ``training/semantic.py`` trains them and writes
``heads.npz``; the thresholds and the aim each was chosen for are in ``metrics.json``. The
models load once per process; at run time only numpy, tokenizers and onnxruntime are needed.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from socialguard.screening.normalise import LEET, REMEMBER_UP_TO

MODELS = Path(__file__).resolve().parent / "models"
CONTEXT_DIMS = 384  # all-MiniLM-L6-v2's sentence vectors
MAX_TOKENS = 128  # a post longer than this is judged on its first 128 word pieces
# Cosine between a message and an example sentence the DSL added, at or above which the message
# is flagged as theirs. Measured on pairs written for the purpose (docs/screening.md): close
# paraphrases 0.65-0.77, looser ones from 0.47; unrelated school posts 0.08-0.41 ("my uncle makes
# me keep secrets" / "our class keeps a secret santa list": 0.41).
EXAMPLE_THRESHOLD = 0.55
_MIXED = re.compile(r"\b(?=[a-z0-9@$]*[a-z])(?=[a-z0-9@$]*[0-9@$])[a-z0-9@$]{3,}\b")
_SPACED = re.compile(r"(?<![a-z0-9])(?:[a-z][ .*_-]){2,}[a-z](?![a-z0-9])")
_REPEATS = re.compile(r"([a-z])\1{2,}")
# Printable ASCII and ordinary line breaks: in such a text the tokenizer's whitespace is exactly
# Python's, so word pieces never cross a space and each word can be tokenised on its own.
_PLAIN_ASCII = re.compile(r"[ -~\t\n\r]*")
# How many recent texts each stage remembers the result for (a few MB in all).
RECENT_TEXTS = 4096
# How many distinct words the fast stage keeps the word pieces of before starting afresh.
KNOWN_WORDS = 100_000


def semantic_text(plain: str) -> str:
    """The words a person meant, for the encoders: letters spaced out joined ("k i l l"), leet
    undone only inside words that mix letters and digits ("k1ll" but not "Year 4"), runs of a
    letter cut to two ("sooooo"). Short texts are kept for a while (they come again)."""
    return _semantic_short(plain) if len(plain) <= REMEMBER_UP_TO else _semantic_text(plain)


@lru_cache(maxsize=RECENT_TEXTS)
def _semantic_short(plain: str) -> str:
    return _semantic_text(plain)


def _semantic_text(plain: str) -> str:
    text = _SPACED.sub(lambda m: m.group()[::2], plain)
    text = _MIXED.sub(lambda m: "".join(LEET.get(c, c) for c in m.group()), text)
    return _REPEATS.sub(r"\1\1", text)


class Recent:
    """The results of a pure function of a text for the last ``size`` texts it computed, the
    oldest forgotten first. The same words arrive again (a post and the reply quoting it, an
    edit, the same notice to every class), and the contextual stage costs milliseconds. Rows
    are read-only: every caller shares them."""

    def __init__(self, size: int = RECENT_TEXTS) -> None:
        self.size = size
        self._rows: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def rows(
        self, texts: Sequence[str], compute: Callable[[list[str]], np.ndarray], width: int
    ) -> np.ndarray:
        """One row per text: remembered ones as they were, the rest from one ``compute`` call."""
        with self._lock:
            known = [self._rows.get(text) for text in texts]
        if len(known) == 1 and known[0] is not None:
            return known[0][None, :]  # one text, seen lately: most screenings
        missing = list(dict.fromkeys(t for t, row in zip(texts, known, strict=True) if row is None))
        fresh = dict(zip(missing, compute(missing), strict=True)) if missing else {}
        out = np.empty((len(texts), width), dtype=np.float32)
        for index, (text, row) in enumerate(zip(texts, known, strict=True)):
            out[index] = fresh[text] if row is None else row
        with self._lock:
            for text, row in fresh.items():
                if len(self._rows) >= self.size:
                    del self._rows[next(iter(self._rows))]
                kept = row.copy()
                kept.flags.writeable = False
                self._rows[text] = kept
        return out


def _normalise_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class StaticEncoder:
    """model2vec-style static embeddings: mean of token vectors, unit length."""

    def __init__(self, path: Path) -> None:
        from tokenizers import Tokenizer

        with np.load(path, allow_pickle=False) as data:
            self.vectors = data["vectors"].astype(np.float32) * data["scales"][:, None]
            spec = json.loads(bytes(data["tokenizer"]).decode())
        spec["truncation"] = None
        spec["padding"] = None
        self.tokenizer = Tokenizer.from_str(json.dumps(spec))
        self.unk = self.tokenizer.token_to_id("[UNK]")
        self.dims = self.vectors.shape[1]
        self._pieces: dict[str, list[int]] = {}  # a word -> its word pieces' ids
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for row, ids in enumerate(self.token_ids(texts)):
            kept = [i for i in ids[:512] if i != self.unk]
            if kept:
                out[row] = self.vectors[kept].mean(axis=0)
        return _normalise_rows(out)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's word pieces, as the tokenizer gives them for the whole text. A plain
        ASCII text is split at whitespace and each word's pieces are looked up, tokenising only
        words not seen before: most of a message's words have been seen before, and one call
        into the tokenizer costs more than the rest of the fast stage."""
        words = [t.split() if _PLAIN_ASCII.fullmatch(t) else None for t in texts]
        with self._lock:
            known = self._pieces
            new = list(
                dict.fromkeys(
                    w for split in words if split is not None for w in split if w not in known
                )
            )
        others = [t for t, split in zip(texts, words, strict=True) if split is None]
        asked = [*new, *others]
        encoded = (
            [e.ids for e in self.tokenizer.encode_batch(asked, add_special_tokens=False)]
            if asked
            else []
        )
        found = dict(zip(new, encoded, strict=False))
        whole = iter(encoded[len(new) :])
        out = [
            next(whole)
            if split is None
            else [i for w in split for i in (found[w] if w in found else known[w])]
            for split in words
        ]
        with self._lock:
            if len(self._pieces) + len(found) > KNOWN_WORDS:
                self._pieces = {}  # start afresh; ``known`` stays whole for this call
            self._pieces.update(found)
        return out


class ContextualEncoder:
    """The transformer, mean-pooled over its tokens, unit length (as sentence-transformers)."""

    def __init__(self, model: Path, tokenizer: Path, *, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()

    def encode(self, texts: Sequence[str], *, batch: int = 1) -> np.ndarray:
        """Unit vectors, one per text: the mean of the words' vectors. By default each text
        runs alone: the int8 model quantises its activations with one range per run, so a text
        read in a batch comes out a little different with each batch it shares (cosine down to
        0.97; one verdict in forty changed on the public sets). One text a run is also no
        slower for short posts, which a batch pads to its longest."""
        return self.read(texts, batch=batch)[0]

    def read(self, texts: Sequence[str], *, batch: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Per text, the mean of its words' vectors and their element-wise maximum, each scaled
        to unit length. The mean says what the text is about; the maximum keeps a word that
        stands out (a "not", a threat) from being averaged away."""
        means, peaks = [], []
        for start in range(0, len(texts), batch):
            encodings = self.tokenizer.encode_batch(list(texts[start : start + batch]))
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            hidden = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": ids * 0}
            )[0]
            means.append((hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True))
            peaks.append(np.where(mask[..., None] > 0, hidden, -np.inf).max(axis=1))
        if not means:
            empty = np.zeros((0, CONTEXT_DIMS), dtype=np.float32)
            return empty, empty.copy()
        return (
            _normalise_rows(np.concatenate(means).astype(np.float32)),
            _normalise_rows(np.concatenate(peaks).astype(np.float32)),
        )


@dataclass(frozen=True)
class Heads:
    """One classifier per head over an encoder's vectors: a logistic regression, or, where
    ``hidden`` is given, a one-hidden-layer network (ReLU) per head, all heads in one product."""

    names: tuple[str, ...]
    weights: np.ndarray  # heads x dims, or heads x hidden (the output layer)
    biases: np.ndarray  # heads
    hidden: np.ndarray | None = None  # dims x (heads * hidden)
    hidden_b: np.ndarray | None = None  # heads * hidden

    # The output layer as one (heads * hidden) x heads matrix, each head's weights in its own
    # block of rows and zeros elsewhere: one product instead of a multiply and a sum.
    _output: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.hidden is not None:
            heads, hidden = self.weights.shape
            output = np.zeros((heads * hidden, heads), dtype=np.float32)
            for head in range(heads):
                output[head * hidden : (head + 1) * hidden, head] = self.weights[head]
            object.__setattr__(self, "_output", output)

    @property
    def dims(self) -> int:
        """How many values a vector the heads read has."""
        return int(self.weights.shape[1] if self.hidden is None else self.hidden.shape[0])

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        if self.hidden is None or self.hidden_b is None or self._output is None:
            logits = vectors @ self.weights.T + self.biases
        else:
            layer = np.maximum(vectors @ self.hidden + self.hidden_b, 0.0)
            logits = layer @ self._output + self.biases
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))


def _heads(data: Any, names: tuple[str, ...], prefix: str) -> Heads:
    hidden = data[f"{prefix}_h"].astype(np.float32) if f"{prefix}_h" in data else None
    hidden_b = data[f"{prefix}_hb"].astype(np.float32) if f"{prefix}_hb" in data else None
    return Heads(
        names, data[f"{prefix}_w"].astype(np.float32), data[f"{prefix}_b"], hidden, hidden_b
    )


@dataclass(frozen=True)
class Thresholds:
    gate: dict[str, float]  # fast stage: at or above, the contextual stage decides
    flag: dict[str, float]  # contextual stage: at or above, a finding
    clear: dict[str, float]  # contextual stage: below, a rule's finding is judged a false alarm
    # fast stage: at or above, a rule's finding in this head's category stands without the
    # contextual stage's second look (it would not have cleared it); absent, always look
    confirm: dict[str, float]


class SemanticModel:
    def __init__(self, directory: Path = MODELS) -> None:
        with np.load(directory / "heads.npz", allow_pickle=False) as data:
            names = tuple(str(n) for n in data["names"])
            self.fast_heads = _heads(data, names, "fast")
            self.context_heads = _heads(data, names, "ctx")
            confirm = data["confirm"].tolist() if "confirm" in data else [2.0] * len(names)
            self.thresholds = Thresholds(
                gate=dict(zip(names, data["gate"].tolist(), strict=True)),
                flag=dict(zip(names, data["flag"].tolist(), strict=True)),
                clear=dict(zip(names, data["clear"].tolist(), strict=True)),
                confirm=dict(zip(names, confirm, strict=True)),
            )
            self.example_threshold = EXAMPLE_THRESHOLD
        self.names = names
        self.fast = StaticEncoder(directory / "static.npz")
        self.contextual = ContextualEncoder(
            directory / "encoder-int8.onnx", directory / "encoder-tokenizer.json"
        )
        # Both stages are pure functions of the words, so a text seen lately is not read again.
        self._recent_fast = Recent()
        self._recent_context = Recent()

    @classmethod
    def default(cls) -> SemanticModel:
        return _default()

    @staticmethod
    def available(directory: Path = MODELS) -> bool:
        needed = ("heads.npz", "static.npz", "encoder-int8.onnx", "encoder-tokenizer.json")
        return all((directory / name).exists() for name in needed)

    def fast_scores(self, texts: Sequence[str]) -> np.ndarray:
        return self._recent_fast.rows(
            texts, lambda fresh: self.fast_heads.scores(self.fast.encode(fresh)), len(self.names)
        )

    def context_vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Per text, what the contextual heads read: the mean vector (the first
        ``CONTEXT_DIMS`` values; the DSL's examples are matched by it) and, for heads trained on
        it, the maximum vector after it."""
        return self._recent_context.rows(texts, self._read, self.context_heads.dims)

    def _read(self, texts: Sequence[str]) -> np.ndarray:
        mean, peak = self.contextual.read(texts)
        return mean if self.context_heads.dims == CONTEXT_DIMS else np.hstack([mean, peak])

    def context_scores(self, vectors: np.ndarray) -> np.ndarray:
        return self.context_heads.scores(vectors)

    def gated(self, fast_row: np.ndarray, *, skip: frozenset[str] = frozenset()) -> bool:
        """Whether the fast stage is unsure enough, for any head but ``skip``, to ask the
        contextual stage."""
        gate = self.thresholds.gate
        return any(
            score >= gate[name]
            for name, score in zip(self.names, fast_row.tolist(), strict=True)
            if name not in skip
        )

    def example_vectors(self, texts: tuple[str, ...]) -> np.ndarray:
        return _example_vectors(self, texts)


@lru_cache(maxsize=64)
def _example_vectors(model: SemanticModel, texts: tuple[str, ...]) -> np.ndarray:
    """The DSL's example sentences, embedded once per set (they change rarely)."""
    return model.contextual.encode([semantic_text(t.lower()) for t in texts])


@lru_cache(maxsize=1)
def _default() -> SemanticModel:
    return SemanticModel()
