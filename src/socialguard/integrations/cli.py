"""``socialguard roster import FILE --kind pupils|staff [--dry-run]``: the page's import at the
command line, for an operator (the audit trail records "system" as the actor)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from socialguard.core.errors import ApplicationError
from socialguard.integrations import rosterfile

BAR_WIDTH = 30


class ProgressBar:
    """A one-line bar on the terminal (stderr), redrawn in place; silent when not a terminal
    except for the last line, so a log shows the count once."""

    def __init__(self, out: TextIO, label: str) -> None:
        self.out, self.label, self.shown = out, label, -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total == 0 else done * 100 // total
        last = done >= total
        if percent == self.shown and not last:
            return
        self.shown = percent
        if not (self.out.isatty() or last):
            return
        filled = BAR_WIDTH * percent // 100
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        end = "\n" if last else ""
        self.out.write(f"\r{self.label} [{bar}] {done}/{total}{end}")
        self.out.flush()


def add_parser(roster_sub: Any) -> None:
    command = roster_sub.add_parser(
        "import", help="import pupils or staff from a SIMS, Arbor or Bromcom CSV export"
    )
    command.add_argument("file", metavar="FILE")
    command.add_argument("--kind", choices=rosterfile.KINDS, required=True)
    command.add_argument(
        "--source",
        choices=["auto", *rosterfile.SOURCE_LABELS],
        default="auto",
        help="the MIS the file came from (default: tell from its header line)",
    )
    command.add_argument("--organisation", metavar="SLUG")
    command.add_argument("--school", metavar="SLUG", help="pupils leave only this school's roll")
    command.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )


def run(args: argparse.Namespace, organisation: Any, out: TextIO | None = None) -> int:
    from socialguard.integrations import services
    from socialguard.integrations.selectors import roster_plan

    # Read sys.stdout now, not at import: a default bound then outlives a replaced stream.
    out = out or sys.stdout
    try:
        data = Path(args.file).read_bytes()
    except OSError as error:
        raise ApplicationError(f"cannot read {args.file}: {error.strerror}") from None
    school = None
    if args.school:
        school = organisation.schools.filter(slug=args.school).first()
        if school is None:
            raise ApplicationError(f"no school '{args.school}' in {organisation}")
    roster_import = services.roster_import_create(
        organisation=organisation,
        kind=args.kind,
        source=args.source,
        data=data,
        filename=Path(args.file).name,
        school=school,
        by=None,
    )
    plan = roster_plan(roster_import=roster_import)
    _print_plan(plan, out)
    if args.dry_run:
        out.write("Dry run: nothing was changed.\n")
        return 0
    plan = services.roster_import_apply(
        roster_import=roster_import, by=None, progress=ProgressBar(sys.stderr, "Applying")
    )
    counts = plan.counts
    out.write(
        f"Applied: {counts['joiners']} joined, {counts['changes']} changed, "
        f"{counts['leavers']} left, {counts['unchanged']} unchanged.\n"
    )
    return 0


def _print_plan(plan: Any, out: TextIO) -> None:
    for joiner in plan.joiners:
        out.write(f"join   line {joiner.row.line}: {joiner.name} ({joiner.detail})\n")
    for change in plan.changes:
        out.write(f"change line {change.row.line}: {change.user.get_full_name()}: ")
        out.write("; ".join(change.what) + "\n")
    for leaver in plan.leavers:
        out.write(f"leave  {leaver.user.get_full_name()} ({leaver.detail})\n")
    for warning in plan.warnings:
        out.write(f"note   {warning}\n")
    counts = plan.counts
    out.write(
        f"{counts['joiners']} joining, {counts['changes']} changing, {counts['leavers']} "
        f"leaving, {counts['unchanged']} unchanged.\n"
    )
