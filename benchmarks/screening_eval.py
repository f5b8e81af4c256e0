"""Precision, recall and F1 per policy family for the full screening engine.

    .venv/bin/python benchmarks/screening_eval.py [--data ../shared/data]

1. The school-style sets written for this project (src/socialguard/screening/tests/data/):
   school_style.jsonl (development) and school_style_holdout.jsonl (never tuned on). A row
   counts as found for a family when a finding of that family is
   present. Benign rows (no family) measure false flags: any finding at all on them.
2. The public held-out splits (never trained on), through the whole engine: a message counts as
   flagged as abusive when the engine finds extreme offence, insult or tone.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from socialguard.screening import Context, Roster, Screener
from socialguard.screening.families import FAMILIES, FAMILY_OF
from socialguard.screening.training.evaluate import prf

ROSTER = Roster.from_dict(
    {
        "organisation": "Roselands & Stafford Federation",
        "schools": ["Roselands Infant School", "Stafford Junior School"],
        "email_domains": ["roselands-stafford.e-sussex.sch.uk"],
        "official_phones": ["01632 960000"],
        "pupils": [
            {"first": "Oliver", "last": "Bennett", "year": "4"},
            {"first": "Amelia", "last": "Clarke", "year": "4"},
            {"first": "Noah", "last": "Patel", "year": "3"},
            {"first": "Isla", "last": "Thompson", "year": "R"},
        ],
        "staff": [{"first": "James", "last": "Carter", "position": "Year 4 Teacher"}],
    }
)
ABUSE = {"extreme_offence", "insult", "tone"}


def school_style(screener: Screener, name: str) -> dict[str, dict[str, float]]:
    rows = [
        json.loads(line) for line in (ROOT / "src/socialguard/screening/tests/data" / name).open()
    ]
    pairs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    benign_flags, benign, misses = 0, 0, []
    for row in rows:
        context = Context(audience=row["audience"], author_role=row["author_role"], roster=ROSTER)
        verdict = screener.screen(row["text"], context)
        found = {FAMILY_OF.get(f.category) for f in verdict.findings}
        for family in FAMILIES:
            if family in row["families"] or (not row["families"] and family in found):
                pairs[family].append((int(family in row["families"]), int(family in found)))
            if family in row["families"] and family not in found:
                misses.append(f"  missed {family}: {row['text']}")
        if not row["families"]:
            benign += 1
            benign_flags += int(bool(verdict.findings))
            if verdict.findings:
                misses.append(f"  false flag {sorted(found)}: {row['text']}")
    report = {family: prf(p) for family, p in pairs.items()}
    report["benign_false_flag_rate"] = {"rate": round(benign_flags / benign, 3), "n": benign}
    positives = [p for family, ps in pairs.items() for p in ps if p[0]]
    report["all_families"] = prf(positives)
    print("\n".join(misses), file=sys.stderr)
    return report


def public(screener: Screener, data: Path) -> dict[str, dict[str, float]]:
    from socialguard.screening.training.train import _davidson, _hatexplain, _olid

    sets = {
        "davidson_20pct": _davidson(data)[1],
        "olid_test": _olid(data)[1],
        "hatexplain_test": _hatexplain(data / "hatexplain" / "test_processed_shivam0109.csv"),
    }
    report = {}
    for name, rows in sets.items():
        pairs = []
        for text, labels in rows:
            verdict = screener.screen(text)
            flagged = any(FAMILY_OF.get(f.category) in ABUSE for f in verdict.findings)
            pairs.append((labels["offensive"], int(flagged)))
        report[f"{name} (offensive)"] = prf(pairs)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    screener = Screener.default()
    # The development set was used to write the rules; the hold-out set was written afterwards
    # and never tuned against: its figures are the honest ones.
    results = {
        "school_style (development set)": school_style(screener, "school_style.jsonl"),
        "school_style_holdout (written after, never tuned on)": school_style(
            screener, "school_style_holdout.jsonl"
        ),
    }
    if args.data.exists():
        results["public_held_out"] = public(screener, args.data)
    for section, rows in results.items():
        print(f"\n== {section}")
        print(f"{'family':38} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}")
        for name, m in rows.items():
            if "rate" in m:
                print(f"{name:38} false flags on benign posts: {m['rate']:.1%} of {m['n']}")
            else:
                print(
                    f"{name:38} {m['precision']:9.3f} {m['recall']:7.3f} "
                    f"{m['f1']:6.3f} {m['support']:8}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
