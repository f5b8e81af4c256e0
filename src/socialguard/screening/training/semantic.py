"""Train the semantic heads and choose their thresholds (training time only).

    .venv-train/bin/python -m socialguard.screening.training.semantic --data ../shared/data \
        --models src/socialguard/screening/models

Reads the encoders ``training/encoders.py`` built, embeds every training row with both (the
contextual vectors are cached under var/train/ so a re-run embeds only new rows) and trains, per
stage, one small network per head (64 ReLU units; all heads at once in torch, fixed seed, one
thread; rows whose source says nothing about a head weigh nothing for it; a hand-written row
weighs as much as eight generated ones, since it is the only text no template wrote).

Thresholds are chosen on a validation set, for a stated aim: every hand-written school row (as
written and re-typed), scored **out of fold** (four folds, a sentence and its re-typed copy in
the same fold, each fold's heads trained on everything else), and a seeded 15 % of the public
rows (never trained on while choosing). A threshold chosen on rows from the templates the heads
learnt from would promise a recall that words nobody templated never get. Where the encoder was
fine-tuned (``finetune.py``; its ``encoder.json`` names the fold it never read), only that fold's
hand-written rows and the public validation rows choose the thresholds. The heads that ship
are then trained on every row.

  safeguarding heads and threats   recall first: the contextual threshold with the best F2
                                   (recall weighed four times precision) ...
  hate, harassment, profanity,     ... or the best F1 ...
  sexual content
  every head (flag)                ... but never flagging more than 3 % of the validation's
                                   ordinary school posts (hard negatives: lessons, idioms, grief,
                                   supportive replies), since ten heads add up their false alarms,
                                   and never below 0.5 (``FLAG_FLOOR``)
  every head, fast stage (gate)    the score reached by 90 % of validation positives, but never
                                   passing more than 2 % of ordinary school posts per head (the
                                   contextual stage costs milliseconds; pupils' and the public's
                                   posts reach it whatever the gate says)
  every head, ``clear``            the contextual score below which only 2 % of validation
                                   positives fall: a rule's finding there is judged a false
                                   alarm (an e-safety lesson is not grooming)
  every head, ``confirm``          the fast score above which 99 % of validation rows are true
                                   examples: a rule's finding there needs no second look (2.0,
                                   never, where the fast stage is not that precise)

Writes ``heads.npz`` and ``metrics.json`` (the thresholds, the aims, validation and public
held-out figures). The held-out splits (see ``datasets.py``) are never trained or tuned on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from socialguard.screening.normalise import normalise
from socialguard.screening.semantic import (
    ContextualEncoder,
    Heads,
    StaticEncoder,
    semantic_text,
)
from socialguard.screening.training.datasets import ENCODER_HAND_LINES, HEADS, Row, load

SEED = 20261202
HIDDEN = 64  # units per head
EPOCHS = 8
BATCH = 1024
LEARNING_RATE = 4e-3
WEIGHT_DECAY = 1e-2
HAND_WEIGHT = 8.0  # a hand-written row weighs as much as this many generated ones
FOLDS = 4  # the hand-written rows are scored out of fold: each by heads that never saw it
RECALL_FIRST = ("threat", "self_harm", "abuse_disclosure", "bullying", "grooming", "radicalisation")
RECALL_BETA = 2.0
GATE_RECALL = 0.90
# per head: at most this share of ordinary school posts sent on to the contextual stage
BENIGN_GATE_LIMIT = 0.02
# per head: the flag threshold is never below the score of this share of the validation's
# ordinary school posts (hard negatives): ten heads each flagging a few per cent of ordinary
# posts add up to a false alarm on one post in four
BENIGN_FLAG_LIMIT = 0.03
# ... and never below this: alone, the meaning model calls a post only where it reads it as more
# likely than not. The validation's hard negatives are not everyday posts: with the fine-tuned
# encoder, F2 put the grooming head at 0.16, where "this is my volcano, it is taller than my
# little brother's!" (0.36) went to the leads as grooming.
FLAG_FLOOR = 0.5
CLEAR_QUANTILE = 0.02
# A rule's finding skips the contextual check where the fast stage reads its category at or
# above ``confirm``: chosen so that 99 % of the validation rows there are true examples.
CONFIRM_PRECISION = 0.99
CONFIRM_FLOOR = 0.5
CONFIRM_MIN_ROWS = 20
# A rule's finding is cleared only where the meaning model is all but sure: never above these.
CLEAR_CAP = {"recall_first": 0.15, "other": 0.3}


def prepare(text: str) -> str:
    return semantic_text(normalise(text).plain.text)


def contextual_vectors(
    encoder: ContextualEncoder, texts: list[str], cache: Path
) -> tuple[np.ndarray, np.ndarray]:
    """Each text's contextual reading (``ContextualEncoder.read``: mean and maximum), read alone
    as at run time, so the heads learn from exactly the vectors a site's posts will get."""
    known: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if cache.exists():
        with np.load(cache, allow_pickle=False) as data:
            known = {
                k: (m, p)
                for k, m, p in zip(data["keys"].tolist(), data["means"], data["peaks"], strict=True)
            }
    keys = [hashlib.blake2b(t.encode(), digest_size=12).hexdigest() for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
    started = time.perf_counter()
    for start in range(0, len(missing), 512):
        chunk = missing[start : start + 512]
        means, peaks = encoder.read([t for _, t in chunk])
        known.update(zip([k for k, _ in chunk], zip(means, peaks, strict=True), strict=True))
        done = start + len(chunk)
        rate = done / max(time.perf_counter() - started, 1e-9)
        print(f"  contextual: {done}/{len(missing)} new rows ({rate:.0f}/s)", file=sys.stderr)
        if done % 8192 < 512 or done == len(missing):
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.savez(
                cache,
                keys=np.array(list(known)),
                means=np.stack([m for m, _ in known.values()]),
                peaks=np.stack([p for _, p in known.values()]),
            )
    return np.stack([known[k][0] for k in keys]), np.stack([known[k][1] for k in keys])


def head_targets(rows: list[Row]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What every head learns from ``rows`` (float32): labels (rows x heads), per-cell weights
    (0 where a row's source says nothing about the head, ``HAND_WEIGHT`` for a hand-written row,
    else 1), and each head's positive and negative class weight, so that each class weighs half
    of the head's total (as scikit-learn's "balanced")."""
    labels = np.array([[r.labels.get(n, 0) for n in HEADS] for r in rows], dtype=np.float32)
    known = np.array([[n in r.labels for n in HEADS] for r in rows], dtype=np.float32)
    weight = np.array([HAND_WEIGHT if r.source == "school_hand" else 1.0 for r in rows])
    cells = known * weight[:, None].astype(np.float32)
    positives, total = (labels * cells).sum(0), cells.sum(0)
    w_pos = total / (2 * np.maximum(positives, 1.0))
    w_neg = total / (2 * np.maximum(total - positives, 1.0))
    return labels, cells, w_pos.astype(np.float32), w_neg.astype(np.float32)


def weighted_loss(logits: Any, y: Any, cells: Any, w_pos: Any, w_neg: Any) -> Any:
    """Binary cross-entropy over a batch (torch tensors), weighed as ``head_targets`` says."""
    import torch

    weights = cells * (y * w_pos + (1 - y) * w_neg)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none")
    return (loss * weights).sum() / weights.sum().clamp(min=1e-9)


def fit_heads(x: np.ndarray, rows: list[Row], index: np.ndarray) -> dict[str, np.ndarray]:
    """One small network per head (``HIDDEN`` ReLU units, then one logit), all heads trained at
    once on the rows ``index`` with ``weighted_loss``. Fixed seed, one thread: the same rows
    always give the same weights."""
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    k, h, dims = len(HEADS), HIDDEN, x.shape[1]
    labels, cells, pos, neg = head_targets([rows[i] for i in index])
    xt = torch.from_numpy(np.ascontiguousarray(x[index], dtype=np.float32))
    yt, mt = torch.from_numpy(labels), torch.from_numpy(cells)
    w_pos, w_neg = torch.from_numpy(pos), torch.from_numpy(neg)
    w1 = torch.nn.Parameter(torch.randn(dims, k * h) / dims**0.5)
    b1 = torch.nn.Parameter(torch.zeros(k * h))
    w2 = torch.nn.Parameter(torch.randn(k, h) / h**0.5)
    b2 = torch.nn.Parameter(torch.zeros(k))
    optimiser = torch.optim.AdamW([w1, b1, w2, b2], lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    order = torch.Generator().manual_seed(SEED)
    for _ in range(EPOCHS):
        permutation = torch.randperm(len(xt), generator=order)
        for start in range(0, len(xt), BATCH):
            batch = permutation[start : start + BATCH]
            layer = torch.relu(xt[batch] @ w1 + b1).view(len(batch), k, h)
            logits = (layer * w2).sum(-1) + b2
            loss = weighted_loss(logits, yt[batch], mt[batch], w_pos, w_neg)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return {
        "h": w1.detach().numpy().astype(np.float32),
        "hb": b1.detach().numpy().astype(np.float32),
        "w": w2.detach().numpy().astype(np.float32),
        "b": b2.detach().numpy().astype(np.float32),
    }


def head_scores(params: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """The run-time computation (``screening.semantic.Heads``), in numpy."""
    heads = Heads(HEADS, params["w"], params["b"], params["h"], params["hb"])
    return heads.scores(x.astype(np.float32))


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def prf(y: np.ndarray, flagged: np.ndarray) -> dict[str, float]:
    tp = int((flagged & (y == 1)).sum())
    fp = int((flagged & (y == 0)).sum())
    fn = int((~flagged & (y == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def macro_f1(y: np.ndarray, flagged: np.ndarray) -> float:
    pos = prf(y, flagged)["f1"]
    neg = prf(1 - y, ~flagged)["f1"]
    return round((pos + neg) / 2, 3)


def f_beta(y: np.ndarray, flagged: np.ndarray, beta: float) -> float:
    tp = float((flagged & (y == 1)).sum())
    fp = float((flagged & (y == 0)).sum())
    fn = float((~flagged & (y == 1)).sum())
    denominator = (1 + beta**2) * tp + beta**2 * fn + fp
    return (1 + beta**2) * tp / denominator if denominator else 0.0


def choose(head: str, scores: np.ndarray, y: np.ndarray) -> float:
    beta = RECALL_BETA if head in RECALL_FIRST else 1.0
    best, best_score = 0.5, -1.0
    for threshold in np.linspace(0.02, 0.98, 97):
        score = f_beta(y, scores >= threshold, beta)
        if score > best_score:
            best, best_score = float(threshold), score
    return best


def quantile_of_positives(scores: np.ndarray, y: np.ndarray, q: float) -> float:
    positives = np.sort(scores[y == 1])
    return float(positives[int(np.floor(q * len(positives)))]) if len(positives) else 0.0


def rule_heads(rows: list[Row], index: np.ndarray) -> np.ndarray:
    """For each row of ``index``, which heads a rule's finding asks the contextual stage about
    (rows x heads, bool): the engine's own rule detectors, run on the text as a staff post."""
    from socialguard.screening.base import Context
    from socialguard.screening.detectors.semantic import RULE_HEAD
    from socialguard.screening.registry import build_detectors

    detectors, context = build_detectors(), Context()
    out = np.zeros((len(index), len(HEADS)), dtype=bool)
    for row, i in enumerate(index):
        text = normalise(rows[i].text)
        for finding in (f for d in detectors for f in d.detect(text, context)):
            if finding.category in RULE_HEAD:
                out[row, HEADS.index(RULE_HEAD[finding.category])] = True
    return out


def choose_confirm(fast: np.ndarray, y: np.ndarray) -> float:
    """The lowest fast-stage score at and above which at least ``CONFIRM_PRECISION`` of the
    validation rows are true examples of the head (so the contextual stage, which clears only
    what reads below nearly every true example, would not clear a rule's finding there): a
    rule's finding in this category then stands without the second look. 2.0 (never) where no
    score has ``CONFIRM_MIN_ROWS`` rows above it at that precision."""
    order = np.argsort(-fast, kind="stable")
    precision = np.cumsum(y[order] == 1) / np.arange(1, len(order) + 1)
    within = np.flatnonzero(precision >= CONFIRM_PRECISION)
    if not len(within) or within[-1] + 1 < CONFIRM_MIN_ROWS:
        return 2.0
    return float(max(fast[order[within[-1]]], CONFIRM_FLOOR))


def split(rows: list[Row]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows trained on in every fold; the validation rows (every hand-written row, a seeded
    15 % of public rows); and each validation row's fold (-1: public, scored by every fold)."""
    rng = random.Random(SEED)  # noqa: S311 - a reproducible split, not a secret
    validation = np.array(
        [
            r.source == "school_hand" or (not r.source.startswith("school") and rng.random() < 0.15)
            for r in rows
        ]
    )
    groups = sorted({r.group for r in rows if r.source == "school_hand"})
    # The lines the encoder was fine-tuned with keep the folds they had then; lines written
    # later are dealt into the folds on their own (``datasets.ENCODER_HAND_LINES``).
    first = [g for g in groups if g <= ENCODER_HAND_LINES]
    later = [g for g in groups if g > ENCODER_HAND_LINES]
    random.Random(SEED + 2).shuffle(first)  # noqa: S311
    random.Random(SEED + 4).shuffle(later)  # noqa: S311
    fold_of = {g: i % FOLDS for i, g in enumerate(first)}
    fold_of |= {g: i % FOLDS for i, g in enumerate(later)}
    fold = np.array([fold_of[r.group] if r.source == "school_hand" else -1 for r in rows])
    return np.flatnonzero(~validation), np.flatnonzero(validation), fold


def out_of_fold(
    x: np.ndarray, rows: list[Row], base: np.ndarray, val_idx: np.ndarray, fold: np.ndarray
) -> np.ndarray:
    """Scores for the validation rows: a hand-written row from heads trained on everything but
    the public validation rows and its own fold; a public validation row, the folds' mean."""
    scores = np.zeros((len(val_idx), len(HEADS)), dtype=np.float32)
    public = fold[val_idx] == -1
    started = time.perf_counter()
    for f in range(FOLDS):
        hand_in = np.flatnonzero((fold >= 0) & (fold != f))
        params = fit_heads(x, rows, np.concatenate([base, hand_in]))
        mine = fold[val_idx] == f
        scores[mine] = head_scores(params, x[val_idx[mine]])
        scores[public] += head_scores(params, x[val_idx[public]]) / FOLDS
        print(
            f"  fold {f + 1}/{FOLDS} done ({time.perf_counter() - started:.0f} s)", file=sys.stderr
        )
    return scores


def encoder_cache(models: Path) -> Path:
    """Where the contextual vectors of this encoder are kept (one file per encoder)."""
    digest = hashlib.blake2b((models / "encoder-int8.onnx").read_bytes(), digest_size=8)
    return Path("var/train") / f"contextual-{digest.hexdigest()}.npz"


def tuned_without(models: Path) -> frozenset[int] | None:
    """The hand-written rows (by line of ``school_hand.jsonl``) a fine-tuned encoder read while
    it learnt (``finetune.py`` writes them to ``encoder.json``), or None for the original
    encoder, which read none. A row written after the encoder was tuned is one it never read."""
    about = models / "encoder.json"
    if not about.exists():
        return None
    return frozenset(int(g) for g in json.loads(about.read_text(encoding="utf-8"))["read_groups"])


def unread(
    rows: list[Row], val_idx: np.ndarray, fold: np.ndarray, read: frozenset[int]
) -> np.ndarray:
    """Which validation rows the encoder never read: the public ones, and the hand-written
    ones whose line is not among ``read``."""
    return np.array([fold[i] == -1 or rows[i].group not in read for i in val_idx], dtype=bool)


def train(
    rows: list[Row], fast: np.ndarray, ctx: np.ndarray, *, read: frozenset[int] | None = None
) -> dict[str, Any]:
    """Heads for both stages and their thresholds. With ``read`` (the hand-written rows a
    fine-tuned encoder learnt from), the thresholds are chosen on the other hand-written rows
    and the public validation rows only: rows the encoder has read would promise more."""
    base, val_idx, fold = split(rows)
    fast_oof = out_of_fold(fast, rows, base, val_idx, fold)
    ctx_oof = out_of_fold(ctx, rows, base, val_idx, fold)
    everything = np.arange(len(rows))
    flagged = rule_heads(rows, val_idx)
    if read is not None:
        unseen = unread(rows, val_idx, fold, read)
        val_idx, fast_oof, ctx_oof = val_idx[unseen], fast_oof[unseen], ctx_oof[unseen]
        flagged = flagged[unseen]
    out = choose_thresholds(rows, val_idx, fast_oof, ctx_oof, flagged)
    out["fast"] = fit_heads(fast, rows, everything)
    out["ctx"] = fit_heads(ctx, rows, everything)
    out["oof"] = {"val_idx": val_idx, "fast": fast_oof, "ctx": ctx_oof, "rules": flagged}
    return out


def choose_thresholds(
    rows: list[Row],
    val_idx: np.ndarray,
    fast_oof: np.ndarray,
    ctx_oof: np.ndarray,
    flagged: np.ndarray,
) -> dict[str, Any]:
    out: dict[str, Any] = {"gate": [], "flag": [], "clear": [], "confirm": [], "validation": {}}
    for k, head in enumerate(HEADS):
        labelled = np.array([head in rows[i].labels for i in val_idx])
        va = val_idx[labelled]
        y = np.array([rows[i].labels[head] for i in va])
        fast_val, ctx_val = fast_oof[labelled, k], ctx_oof[labelled, k]
        school = np.array([rows[i].source.startswith("school") for i in va])
        benign = school & (y == 0)
        flag = max(
            choose(head, ctx_val, y),
            float(np.quantile(ctx_val[benign], 1 - BENIGN_FLAG_LIMIT)),
            FLAG_FLOOR,
        )
        gate = max(
            quantile_of_positives(fast_val, y, 1 - GATE_RECALL),
            float(np.quantile(fast_val[benign], 1 - BENIGN_GATE_LIMIT)),
        )
        cap = CLEAR_CAP["recall_first" if head in RECALL_FIRST else "other"]
        clear = min(flag, cap, quantile_of_positives(ctx_val, y, CLEAR_QUANTILE))
        by_rule = flagged[labelled, k]
        confirm = choose_confirm(fast_val, y)
        hand = school & (y == 1)
        validation = {
            "rows": len(va),
            "positives": int(y.sum()),
            "contextual": prf(y, ctx_val >= flag),
            "hand_written_recall": round(float((ctx_val[hand] >= flag).mean()), 3),
            "gate_passes": round(float((fast_val >= gate).mean()), 3),
            "rule_findings": int(by_rule.sum()),
            "confirmed_without_second_look": round(
                float((fast_val[by_rule] >= confirm).mean()) if by_rule.any() else 0.0, 3
            ),
            "school_benign_flag_rate": round(float((ctx_val[benign] >= flag).mean()), 4),
        }
        for key, value in (("gate", gate), ("flag", flag), ("clear", clear), ("confirm", confirm)):
            out[key].append(value)
        out["validation"][head] = validation
        print(
            f"{head}: flag {flag:.3f} gate {gate:.3f} clear {clear:.3f} confirm {confirm:.3f}; "
            f"val {validation['contextual']} hand recall {validation['hand_written_recall']} "
            f"benign {validation['school_benign_flag_rate']}",
            file=sys.stderr,
        )
    benign_any = np.zeros(len(val_idx), dtype=bool)
    is_benign = np.array(
        [rows[i].source == "school_hand" and not any(rows[i].labels.values()) for i in val_idx]
    )
    for k, _head in enumerate(HEADS):
        benign_any |= ctx_oof[:, k] >= out["flag"][k]
    out["validation"]["school_benign_any_head"] = round(float(benign_any[is_benign].mean()), 4)
    print(
        f"benign hand rows flagged by any head: {out['validation']['school_benign_any_head']}",
        file=sys.stderr,
    )
    return out


def held_out_figures(
    held: dict[str, list[Row]], model: dict[str, Any], encoder: ContextualEncoder, cache: Path
) -> dict[str, Any]:
    names = list(HEADS)
    flag = dict(zip(names, model["flag"], strict=True))
    figures: dict[str, Any] = {}
    for name, rows in held.items():
        vectors = np.hstack(contextual_vectors(encoder, [prepare(r.text) for r in rows], cache))
        scores = head_scores(model["ctx"], vectors)
        hate = scores[:, names.index("hate")] >= flag["hate"]
        offensive = (
            (scores[:, names.index("profanity")] >= flag["profanity"])
            | hate
            | (scores[:, names.index("harassment")] >= flag["harassment"])
        )
        entry: dict[str, Any] = {"rows": len(rows)}
        if "profanity" in rows[0].labels:
            y = np.array([r.labels["profanity"] for r in rows])
            entry["offensive"] = prf(y, offensive) | {"macro_f1": macro_f1(y, offensive)}
        if "hate" in rows[0].labels:
            y = np.array([r.labels["hate"] for r in rows])
            entry["hate"] = prf(y, hate) | {"macro_f1": macro_f1(y, hate)}
        figures[name] = entry
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--models", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=None, help="default: one per encoder")
    parser.add_argument("--out", type=Path, default=None, help="heads.npz, metrics.json here")
    args = parser.parse_args(argv)
    out = args.out or args.models
    out.mkdir(parents=True, exist_ok=True)
    args.cache = args.cache or encoder_cache(args.models)
    rows, held = load(args.data)
    print(f"training rows: {len(rows)}", file=sys.stderr)
    texts = [prepare(r.text) for r in rows]
    static = StaticEncoder(args.models / "static.npz")
    encoder = ContextualEncoder(
        args.models / "encoder-int8.onnx", args.models / "encoder-tokenizer.json", threads=2
    )
    fast = static.encode(texts)
    ctx = np.hstack(contextual_vectors(encoder, texts, args.cache))
    model = train(rows, fast, ctx, read=tuned_without(args.models))
    # the out-of-fold validation scores, for a look at the thresholds without retraining
    np.savez(args.cache.parent / "validation-scores.npz", **model["oof"])
    np.savez_compressed(
        out / "heads.npz",
        names=np.array(HEADS),
        **{
            f"{stage}_{part}": model[stage][part].astype(np.float16 if part == "h" else np.float32)
            for stage in ("fast", "ctx")
            for part in ("h", "hb", "w", "b")
        },
        gate=np.array(model["gate"], dtype=np.float32),
        flag=np.array(model["flag"], dtype=np.float32),
        clear=np.array(model["clear"], dtype=np.float32),
        confirm=np.array(model["confirm"], dtype=np.float32),
    )
    metrics = {
        "model": "all-MiniLM-L6-v2: static (model2vec, 256 d, int8) + ONNX int8; per head a "
        f"network of {HIDDEN} ReLU units ({EPOCHS} epochs, hand-written rows x{HAND_WEIGHT:g})",
        "training_rows": len(rows),
        "rows_by_source": {
            s: sum(r.source == s for r in rows) for s in sorted({r.source for r in rows})
        },
        "aims": {
            "recall_first": {"heads": list(RECALL_FIRST), "f_beta": RECALL_BETA},
            "best_f1": [h for h in HEADS if h not in RECALL_FIRST],
            "gate_recall": GATE_RECALL,
            "benign_gate_limit_per_head": BENIGN_GATE_LIMIT,
            "benign_flag_limit_per_head": BENIGN_FLAG_LIMIT,
            "flag_floor": FLAG_FLOOR,
            "confirm_precision": CONFIRM_PRECISION,
            "clear_quantile": CLEAR_QUANTILE,
            "clear_cap": CLEAR_CAP,
            "validation_set": "hand-written school rows (both forms), scored out of fold "
            f"({FOLDS} folds), and a seeded 15 % of public rows",
        },
        "thresholds": {
            h: {
                "gate": round(float(g), 4),
                "flag": round(float(f), 4),
                "clear": round(float(c), 4),
                "confirm": round(float(k), 4),
            }
            for h, g, f, c, k in zip(
                HEADS, model["gate"], model["flag"], model["clear"], model["confirm"], strict=True
            )
        },
        "validation": model["validation"],
        "held_out": held_out_figures(held, model, encoder, args.cache),
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(metrics["held_out"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
