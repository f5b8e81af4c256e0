"""How well the whole screening engine (rules, fast and contextual stages) does, on words nobody
on the project wrote and on the project's own frozen hold-out. One table per run.

    .venv/bin/python benchmarks/screening_eval.py [--data ../shared/data] [--json OUT.json]
    .venv/bin/python benchmarks/screening_eval.py --dev --models var/train/next  # while tuning

``--dev`` leaves hold-out v3 out (it is read once, by the heads that ship, never while choosing
between candidates); ``--models`` screens with a candidate's model directory instead of the
shipped one.

1. Public held-out splits, never trained on (see screening/training/datasets.py): OLID test
   (offensive or not, macro-F1), HateXplain test (hate or offensive vs normal, macro-F1),
   Davidson 20 % (hate-class F1), ToxiGen 20 % (implicit hate F1). A message counts as flagged
   when the engine finds hate, an insult or abusive tone that it does not clear in context.
2. Eval-only sets, never trained on: C-SSRS Reddit users (a user is flagged when any of their
   posts reads as self-harm or suicidal thoughts: recall of Ideation, Behavior and Attempt users,
   flag rate of Supportive ones) and Formspring (bullying F1: flagged when any finding of harm).
3. The project's school-style sets: hold-out v2 (written before tuning, frozen: recall per head,
   false flags on benign posts, correct routing), hold-out v1 and the development set (per
   policy family, as before).
4. The identity hold-out (``tests/data/identity_holdout.jsonl``, written before round 5's tuning
   by a hand that never saw the training sets, frozen): per functional kind, the share read as
   hate; hate macro-F1; and how many statements that are not hate are held for any reason.
Messages from the public sets are screened as contributions by the public (so the contextual
stage reads them, as it would on a site).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from socialguard.screening import Context, Roster, Screener
from socialguard.screening.base import Verdict
from socialguard.screening.detectors.semantic import SemanticDetector
from socialguard.screening.families import FAMILIES, FAMILY_OF
from socialguard.screening.registry import build_detectors
from socialguard.screening.semantic import SemanticModel
from socialguard.screening.training.datasets import load as load_public
from socialguard.screening.training.evaluate import prf

csv.field_size_limit(sys.maxsize)
DATA = ROOT / "src/socialguard/screening/tests/data"
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
HEAD_CATEGORIES = {
    "hate": {"extreme_offence"},
    "threat": {"threat"},
    "harassment": {"insult"},
    "profanity": {"tone", "abuse_reported"},
    "sexual": {"sexual_content"},
    "self_harm": {"self_harm"},
    "abuse_disclosure": {"disclosure_abuse", "disclosure_neglect"},
    "bullying": {"bullying"},
    "grooming": {
        "grooming",
        "grooming_secrecy",
        "grooming_images",
        "grooming_flattery_gifts",
        "grooming_private_channel",
        "grooming_location",
        "grooming_meeting",
    },
    "radicalisation": {"radicalisation"},
}
ABUSE = {"extreme_offence", "threat", "insult", "tone", "abuse_reported"}
HARM_FAMILIES = {"extreme_offence", "insult", "tone", "safeguarding", "sexual"}
ROUTES = {"dsl", "police_ceop"}


def live(verdict: Verdict) -> set[str]:
    """Categories of the findings that count: not those the contextual stage cleared."""
    return {f.category for f in verdict.findings if f.severity != "info"}


def screen(screener: Screener, texts: list[str], context: Context) -> list[Verdict]:
    out: list[Verdict] = []
    for start in range(0, len(texts), 256):
        chunk = texts[start : start + 256]
        out += screener.screen_each(chunk, [context] * len(chunk))
    return out


def macro(pairs: list[tuple[int, int]]) -> dict[str, float]:
    pos = prf(pairs)
    neg = prf([(1 - g, 1 - p) for g, p in pairs])
    return pos | {"macro_f1": round((pos["f1"] + neg["f1"]) / 2, 3)}


def public(screener: Screener, data: Path) -> dict[str, dict[str, float]]:
    _, held = load_public(data)
    context = Context(author_role="public", roster=ROSTER)
    report = {}
    for name, rows in held.items():
        verdicts = screen(screener, [r.text for r in rows], context)
        if "profanity" in rows[0].labels:
            pairs = [
                (r.labels["profanity"], int(bool(live(v) & ABUSE)))
                for r, v in zip(rows, verdicts, strict=True)
            ]
            report[f"{name}: offensive"] = macro(pairs)
        if "hate" in rows[0].labels:
            pairs = [
                (r.labels["hate"], int("extreme_offence" in live(v)))
                for r, v in zip(rows, verdicts, strict=True)
            ]
            report[f"{name}: hate"] = macro(pairs)
    return report


def _posts(raw: str) -> list[str]:
    try:
        posts = ast.literal_eval(raw)
        if isinstance(posts, list):
            return [str(p) for p in posts]
    except (ValueError, SyntaxError):
        pass
    return [p for p in re.split(r"',\s*'|\",\s*\"", raw.strip("[]'\"")) if p.strip()]


def _chunks(post: str, words: int = 80) -> Iterable[str]:
    tokens = post.split()
    for start in range(0, max(len(tokens), 1), words):
        yield " ".join(tokens[start : start + words])


def cssrs(screener: Screener, data: Path) -> dict[str, dict[str, float]]:
    path = data / "eval-only" / "suicide_cssrs" / "500_Reddit_users_posts_labels.csv"
    users = list(csv.DictReader(path.open(encoding="utf-8")))
    texts, owner = [], []
    for index, user in enumerate(users):
        for post in _posts(user["Post"]):
            for chunk in _chunks(post):
                texts.append(chunk)
                owner.append(index)
    verdicts = screen(screener, texts, Context(author_role="public"))
    flagged = [False] * len(users)
    for index, verdict in zip(owner, verdicts, strict=True):
        flagged[index] |= "self_harm" in live(verdict) or "dsl" in verdict.escalate
    report = {}
    for label in ("Ideation", "Behavior", "Attempt", "Indicator", "Supportive"):
        members = [flagged[i] for i, u in enumerate(users) if u["Label"] == label]
        report[label] = {"flagged": round(sum(members) / len(members), 3), "n": len(members)}
    at_risk = [
        flagged[i] for i, u in enumerate(users) if u["Label"] in ("Ideation", "Behavior", "Attempt")
    ]
    report["Ideation+Behavior+Attempt"] = {
        "flagged": round(sum(at_risk) / len(at_risk), 3),
        "n": len(at_risk),
    }
    report["_messages"] = {"flagged": 0.0, "n": len(texts)}
    return report


def formspring(screener: Screener, data: Path) -> dict[str, float]:
    path = data / "eval-only" / "cyberbullying" / "formspring_data.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    texts = [
        re.sub(r"<br>|&#039;|&quot;", " ", row["post"]).replace("Q:", " ").replace("A:", " ")
        for row in rows
    ]
    gold = [
        int(sum(row[f"ans{i}"].strip().lower() == "yes" for i in (1, 2, 3)) >= 2) for row in rows
    ]
    verdicts = screen(screener, texts, Context(author_role="public"))
    pairs = [
        (g, int(any(FAMILY_OF.get(c) in HARM_FAMILIES for c in live(v))))
        for g, v in zip(gold, verdicts, strict=True)
    ]
    return prf(pairs)


def holdout(screener: Screener, name: str, *, errors: bool) -> dict[str, object]:
    """Recall per head, false flags, routing. ``errors=False`` keeps the per-message list unseen:
    hold-out v3 is read only as figures, so it stays a hold-out while the heads are tuned."""
    rows = [json.loads(line) for line in (DATA / name).open() if line.strip()]
    found: dict[str, list[int]] = defaultdict(list)
    misses, benign_flags, benign, routed_ok, dsl_pairs = [], 0, 0, 0, []
    for row in rows:
        context = Context(audience=row["audience"], author_role=row["author_role"], roster=ROSTER)
        verdict = screener.screen(row["text"], context)
        cats = live(verdict)
        for head in row["heads"]:
            hit = bool(cats & HEAD_CATEGORIES[head])
            found[head].append(int(hit))
            if not hit:
                misses.append(f"  missed {head} ({sorted(cats)}): {row['text']}")
        if not row["heads"]:
            benign += 1
            flagged = verdict.action != "allow"
            benign_flags += int(flagged)
            if flagged:
                misses.append(f"  false flag {sorted(cats)}: {row['text']}")
        expected = set(row["routing"]) & ROUTES
        got = set(verdict.escalate) & ROUTES
        routed_ok += int(expected == got)
        dsl_pairs.append((int("dsl" in expected), int("dsl" in got)))
        if expected != got:
            misses.append(f"  routing {sorted(got)} not {sorted(expected)}: {row['text']}")
    if errors:
        print("\n".join(misses), file=sys.stderr)
    report: dict[str, object] = {
        head: {"recall": round(sum(v) / len(v), 3), "n": len(v)}
        for head, v in sorted(found.items())
    }
    positives = [x for v in found.values() for x in v]
    report["all heads"] = {"recall": round(sum(positives) / len(positives), 3), "n": len(positives)}
    report["benign false flags"] = {"rate": round(benign_flags / benign, 3), "n": benign}
    report["routing exactly right"] = {"rate": round(routed_ok / len(rows), 3), "n": len(rows)}
    report["reaches the DSL when it should"] = prf(dsl_pairs)
    return report


def by_kind(
    screener: Screener, name: str = "identity_holdout.jsonl", *, errors: bool = False
) -> dict[str, object]:
    """Statements that name people for who they are, in the kinds published functional tests
    probe: hate (derogation, dehumanisation, threats, exclusion, implicit, evasive spelling,
    hateful questions) and not hate (warm, plain, counter-speech, reporting, negation, honest
    questions, scorn for things that are not people's identity, members speaking of themselves).
    Figures only: like hold-out v3, its messages and errors are never shown (frozen, not tuned on).
    The counter-speech development set (``counter_dev.jsonl``, another hand's) has the same
    shape; its errors are printed (``errors=True``).
    """
    rows = [json.loads(line) for line in (DATA / name).open() if line.strip()]
    kinds: dict[str, list[int]] = defaultdict(list)
    pairs, any_flag = [], []
    for row in rows:
        context = Context(author_role=row.get("author_role", "public"), roster=ROSTER)
        verdict = screener.screen(row["text"], context)
        hate = int("extreme_offence" in live(verdict))
        kinds[f"{'hateful' if row['hateful'] else 'not hateful'}: {row['kind']}"].append(hate)
        pairs.append((int(row["hateful"]), hate))
        if errors and hate != int(row["hateful"]):
            print(
                f"  {row['kind']} read {'' if hate else 'not '}as hate: {row['text']}",
                file=sys.stderr,
            )
        if not row["hateful"]:
            any_flag.append(int(verdict.action != "allow"))
    report: dict[str, object] = {
        kind: {"read as hate": round(sum(v) / len(v), 3), "n": len(v)}
        for kind, v in sorted(kinds.items())
    }
    report["hate (all kinds)"] = macro(pairs)
    report["not hateful: held for any reason"] = {
        "rate": round(sum(any_flag) / max(len(any_flag), 1), 3),
        "n": len(any_flag),
    }
    return report


def school_style(screener: Screener, name: str) -> dict[str, dict[str, float]]:
    rows = [json.loads(line) for line in (DATA / name).open()]
    pairs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    benign_flags, benign = 0, 0
    for row in rows:
        context = Context(audience=row["audience"], author_role=row["author_role"], roster=ROSTER)
        verdict = screener.screen(row["text"], context)
        found = {FAMILY_OF.get(c) for c in live(verdict)}
        for family in FAMILIES:
            if family in row["families"] or (not row["families"] and family in found):
                pairs[family].append((int(family in row["families"]), int(family in found)))
        if not row["families"]:
            benign += 1
            benign_flags += int(verdict.action != "allow")
    report = {family: prf(p) for family, p in pairs.items()}
    positives = [p for ps in pairs.values() for p in ps if p[0]]
    report["all families"] = prf(positives)
    report["benign false flags"] = {"rate": round(benign_flags / benign, 3), "n": benign}
    return report


def show(section: str, rows: dict[str, object]) -> None:
    print(f"\n== {section}")
    for name, m in rows.items():
        assert isinstance(m, dict)
        cells = "  ".join(f"{k} {v}" for k, v in m.items())
        print(f"  {name:42} {cells}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--skip-eval-only", action="store_true")
    parser.add_argument("--school-only", action="store_true", help="only the project's own sets")
    parser.add_argument("--dev", action="store_true", help="leave hold-out v3 out (tuning)")
    parser.add_argument("--models", type=Path, default=None, help="a candidate model directory")
    parser.add_argument(
        "--identity", action="store_true", help="with --dev: the identity hold-out's figures too"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    screener = Screener.default()
    if args.models is not None:
        screener = Screener(build_detectors(), SemanticDetector(SemanticModel(args.models)))
    print(f"semantic stage: {'on' if screener.semantic else 'OFF (model files missing)'}")
    results: dict[str, object] = {}
    if not args.dev:
        results["school hold-out v3 (frozen before tuning, errors never printed)"] = holdout(
            screener, "school_holdout_v3.jsonl", errors=False
        )
    if not args.dev or args.identity:
        results["identity statements (hold-out, frozen before tuning, errors never printed)"] = (
            by_kind(screener)
        )
    if (DATA / "counter_dev.jsonl").exists():
        results["counter-speech development set (another hand's; errors printed)"] = by_kind(
            screener, "counter_dev.jsonl", errors=True
        )
    results |= {
        "school hold-out v2 (frozen before tuning; its errors were read)": holdout(
            screener, "school_holdout_v2.jsonl", errors=True
        ),
        "school hold-out v1 (families)": school_style(screener, "school_style_holdout.jsonl"),
        "school development set (families; rules written beside it)": school_style(
            screener, "school_style.jsonl"
        ),
    }
    if args.data.exists() and not args.school_only:
        results["public held-out (never trained on)"] = public(screener, args.data)
        if not args.skip_eval_only:
            results["C-SSRS Reddit users (eval only): share flagged"] = cssrs(screener, args.data)
            results["Formspring (eval only): bullying"] = {
                "any harm": formspring(screener, args.data)
            }
    for section, rows in results.items():
        show(section, rows)  # type: ignore[arg-type]
    print(f"\n({time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
