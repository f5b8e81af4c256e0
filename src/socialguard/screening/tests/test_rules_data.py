"""Rules as data (rules/*.json): every file loads under the one schema, every category it names is
in the registry, and every rule's examples match, or do not, through the real detector (so the
near-miss, reporting, negation and person checks count)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from socialguard.screening import Context, Screener
from socialguard.screening.categories import CATEGORIES
from socialguard.screening.normalise import normalise
from socialguard.screening.registry import DETECTORS, build_detectors
from socialguard.screening.rules import (
    MIN_EXAMPLES,
    Rule,
    RulesError,
    load,
    rule_files,
    ruleset,
)

DETECTOR_FILES = ["abuse", "conduct", "confidential", "personal", "safeguarding"]
RULES = [(path.stem, rule) for path in rule_files() for rule in ruleset(path.stem).rules]
HOLDOUTS = Path(__file__).parent / "data"


def _matched_by(name: str, rule: Rule, text: str) -> bool:
    wanted = ruleset(name).examples_context
    context = Context(
        audience=wanted.get("audience", "official_site"),
        author_role=wanted.get("author_role", "staff"),
    )
    findings = DETECTORS[name]().detect(normalise(text), context)
    return any(f.category == rule.category and f.explanation == rule.explanation for f in findings)


def test_every_detector_reads_its_own_file() -> None:
    assert [path.stem for path in rule_files()] == DETECTOR_FILES
    for name in DETECTOR_FILES:
        rules = ruleset(name)
        assert rules.detector == name and rules.version >= 1
        assert ruleset(name) is rules  # compiled once per process


@pytest.mark.parametrize(("name", "rule"), RULES, ids=[f"{n}:{r.id}" for n, r in RULES])
def test_rule_schema_and_registry(name: str, rule: Rule) -> None:
    # Labels, routing and blocking are the registry's: the file only names a category in it.
    entry = CATEGORIES[rule.category]
    assert set(rule.clauses) & set(entry.clauses), "cites none of the registry's clauses"
    assert rule.explanation.endswith(".") and rule.explanation[0].isupper()
    assert len(rule.must_match) >= MIN_EXAMPLES and len(rule.must_not_match) >= MIN_EXAMPLES
    explanations = [r.explanation for r in ruleset(name).rules if r.category == rule.category]
    assert explanations.count(rule.explanation) == 1  # so a finding names its rule


@pytest.mark.parametrize(("name", "rule"), RULES, ids=[f"{n}:{r.id}" for n, r in RULES])
def test_rule_examples(name: str, rule: Rule) -> None:
    missed = [text for text in rule.must_match if not _matched_by(name, rule, text)]
    wrongly = [text for text in rule.must_not_match if _matched_by(name, rule, text)]
    assert not missed, f"{name}:{rule.id} misses {missed}"
    assert not wrongly, f"{name}:{rule.id} wrongly matches {wrongly}"


def test_files_never_repeat_routing_or_blocking() -> None:
    for path in rule_files():
        text = path.read_text(encoding="utf-8")
        for rule in json.loads(text)["rules"]:
            assert not {"routing", "escalate", "blocks", "label", "redact"} & set(rule)


@pytest.mark.parametrize(
    "text",
    [
        "Our secret santa is on Friday",
        "We are reading The Secret Garden",
        "I nearly died laughing",
        "send a photo of your Lego model",
        "Please send a photo of your homework project",
    ],
)
def test_near_misses_reach_nobody_on_the_rules_alone(text: str) -> None:
    verdict = Screener(build_detectors()).screen(text, Context(author_role="pupil"))
    assert verdict.escalate == frozenset() and verdict.action == "allow"


def test_examples_are_not_taken_from_the_frozen_holdouts() -> None:
    held: set[str] = set()
    for name in ("school_holdout_v2.jsonl", "school_style_holdout.jsonl"):
        path = HOLDOUTS / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    held.add(str(json.loads(line).get("text", "")).strip().lower())
    ours = {t.strip().lower() for _, r in RULES for t in (*r.must_match, *r.must_not_match)}
    assert not ours & held


def _write(tmp_path: Path, rule: dict[str, object], **top: object) -> Path:
    data = {"version": 1, "detector": "demo", "view": "plain", "rules": [rule], **top}
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


GOOD: dict[str, object] = {
    "id": "demo_rule",
    "category": "tone",
    "clauses": ["A.4.5"],
    "severity": "low",
    "explanation": "Demo.",
    "patterns": [r"\bdrat\b"],
    "must_match": ["drat", "oh drat", "drat it"],
    "must_not_match": ["draught", "dram", "rat"],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": "not_a_category"}, "not in the category registry"),
        ({"severity": "severe"}, "severity"),
        ({"patterns": [r"\bsend a pic(?! of your homework)"]}, "RE2 cannot compile"),
        ({"patterns": [r"\b{MISSING}\b"]}, "unknown fragment MISSING"),
        ({"must_match": ["drat"]}, "at least 3"),
        ({"routing": ["dsl"]}, "unknown ['routing']"),
        ({"conditions": ["whenever"]}, "unknown conditions"),
    ],
)
def test_schema_errors_name_the_file_and_rule(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    with pytest.raises(RulesError, match=re.escape("demo.json rule 'demo_rule'")) as error:
        load(_write(tmp_path, {**GOOD, **change}))
    assert message in str(error.value)


def test_a_good_file_loads_and_fragments_expand(tmp_path: Path) -> None:
    rule = {**GOOD, "patterns": [r"\b{WORD}\b"]}
    rules = load(_write(tmp_path, rule, fragments={"WORD": "drat|blast"}))
    assert [r.id for r in rules.matching("blast it")] == ["demo_rule"]
    assert rules.matching("nothing here") == []
    with pytest.raises(RulesError, match=re.escape("demo.json: 'detector' must be 'demo'")):
        load(_write(tmp_path, GOOD, detector="other"))
