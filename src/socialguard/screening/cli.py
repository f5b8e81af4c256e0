"""``socialguard screen``: the engine from the command line (no Django, so it starts fast).

socialguard screen "TEXT" [--audience A] [--author-role R] [--roster ROSTER.json]
socialguard screen --jsonl FILE [--roster ROSTER.json]     (one JSON verdict a line)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from socialguard.screening.base import AUDIENCES, Context, Roster, Verdict
from socialguard.screening.engine import Screener


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", help="the text to screen (or use --jsonl)")
    parser.add_argument(
        "--jsonl", metavar="FILE", help="screen one JSON object a line ('-' for stdin)"
    )
    parser.add_argument("--audience", choices=AUDIENCES, default="official_site")
    parser.add_argument("--author-role", default="staff", help="staff, pupil, parent, public, ...")
    parser.add_argument(
        "--roster", metavar="ROSTER.json", help="pupils, staff and official contacts"
    )


def _roster(path: str | None) -> Roster:
    if not path:
        return Roster()
    try:
        return Roster.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, AttributeError) as error:
        raise SystemExit(f"socialguard screen: error: cannot read roster {path}: {error}") from None


def _readable(verdict: Verdict, text: str) -> str:
    from socialguard.screening.categories import ROUTE_LABELS

    lines = [f"Action: {verdict.action.upper()}"]
    if verdict.escalate:
        routes = ", ".join(f"{ROUTE_LABELS[r]} ({r})" for r in sorted(verdict.escalate))
        lines.append(f"Goes at once to: {routes}")
    for f in verdict.findings:
        lines.append(
            f"- [{f.severity}] {f.label} [{f.category}] ({', '.join(f.clauses)}) "
            f"'{text[f.start : f.end]}' at {f.start}-{f.end}: {f.explanation}"
        )
    lines.append(f"Read by: {', '.join(verdict.stages)}")
    if not verdict.findings:
        lines.append("No concerns found.")
    lines.append(f"Redacted: {verdict.redacted}")
    return "\n".join(lines)


def _jsonl(path: str, roster: Roster, screener: Screener, out: TextIO) -> int:
    source = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    progress = sys.stderr.isatty()
    errors = 0
    with source:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                item: dict[str, Any] = json.loads(line)
                context = Context(
                    audience=item.get("audience", "official_site"),
                    author_role=item.get("author_role", "staff"),
                    roster=roster,
                )
                verdict = screener.screen(str(item["text"]), context)
            except (ValueError, KeyError, TypeError) as error:
                errors += 1
                print(
                    f"socialguard screen: line {number}: {error.__class__.__name__}: {error}",
                    file=sys.stderr,
                )
                continue
            out.write(
                json.dumps({"id": item.get("id"), **verdict.to_dict()}, ensure_ascii=False) + "\n"
            )
            if progress and number % 100 == 0:
                print(f"\rscreened {number} lines", end="", file=sys.stderr)
    if progress:
        print(file=sys.stderr)
    return 1 if errors else 0


def run(args: argparse.Namespace) -> int:
    if not args.jsonl and args.text is None:
        print("socialguard screen: error: give TEXT or --jsonl FILE", file=sys.stderr)
        return 2
    roster = _roster(args.roster)
    screener = Screener.default()
    if args.jsonl:
        return _jsonl(args.jsonl, roster, screener, sys.stdout)
    context = Context(audience=args.audience, author_role=args.author_role, roster=roster)
    print(_readable(screener.screen(args.text, context), args.text))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="socialguard screen", description=__doc__.splitlines()[0])
    configure_parser(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
