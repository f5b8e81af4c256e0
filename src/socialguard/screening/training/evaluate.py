"""Held-out precision, recall and F1 per label for the shipped classifier."""

from __future__ import annotations

from pathlib import Path

THRESHOLD = 0.5


def prf(pairs: list[tuple[int, int]]) -> dict[str, float]:
    tp = sum(1 for gold, pred in pairs if gold and pred)
    fp = sum(1 for gold, pred in pairs if not gold and pred)
    fn = sum(1 for gold, pred in pairs if gold and not pred)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "support": tp + fn,
        "n": len(pairs),
    }


def evaluate_held_out(*, model_path: Path, held_out: dict[str, list]) -> dict[str, dict[str, dict]]:
    from socialguard.screening.classifier import TextClassifier

    classifier = TextClassifier.load(model_path)
    report: dict[str, dict[str, dict]] = {}
    for name, rows in held_out.items():
        scores = classifier.scores_many([text for text, _ in rows])
        report[name] = {}
        for label in classifier.labels:
            pairs = [
                (y[label], int(s[label] >= THRESHOLD))
                for (_, y), s in zip(rows, scores, strict=True)
                if label in y
            ]
            if pairs:
                report[name][label] = prf(pairs)
        # macro-F1 over both classes of 'offensive', comparable with OffensEval's sub-task A
        if "offensive" in report[name]:
            pairs = [
                (y["offensive"], int(s["offensive"] >= THRESHOLD))
                for (_, y), s in zip(rows, scores, strict=True)
            ]
            negative = prf([(1 - g, 1 - p) for g, p in pairs])["f1"]
            report[name]["offensive"]["macro_f1"] = round(
                (negative + report[name]["offensive"]["f1"]) / 2, 3
            )
    return report
