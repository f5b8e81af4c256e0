"""The ``socialguard`` command: one entry point for running, loading and checking the platform.

Commands that need the database set Django up lazily, so ``socialguard screen`` (pure Python)
starts fast. Bad arguments give a one-line error and exit status 2; a failed check exits 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

DEFAULT_SETTINGS = "socialguard.config.settings.dev"


class CommandError(Exception):
    """A failure the user can act on: printed as one line, exit status 1."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2026-09-01") from None


def _organisation(slug: str | None) -> Any:
    from socialguard.accounts.models import Organisation

    if slug:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            known = ", ".join(Organisation.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"no organisation '{slug}' (known: {known})")
        return organisation
    organisations = list(Organisation.objects.all()[:2])
    if len(organisations) != 1:
        raise CommandError("several organisations exist: name one with --organisation SLUG")
    return organisations[0]


# --- running -------------------------------------------------------------------------------


def cmd_migrate(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=args.verbosity)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from socialguard.supervisor import Child, Supervisor

    children: list[Child] = []
    if not args.no_worker:
        children.append(Child("worker", [sys.executable, "-m", "socialguard.cli", "worker"]))
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "socialguard.config.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        "4",
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        args.forwarded_allow_ips,
    ]
    children.append(Child("web server", gunicorn))
    print(f"socialguard is serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    return Supervisor(children).run()


def cmd_worker(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    from socialguard.notifications.worker import worker_id_new

    worker_id = worker_id_new()
    if not args.batch:
        _scheduled_checks(float(os.environ.get("SOCIALGUARD_CHECK_INTERVAL", "60")))
        _pulse(worker_id)
    options: dict[str, Any] = {
        "queue_name": "*",
        "interval": args.interval,
        "reload": False,
        "worker_id": worker_id,
    }
    if args.batch:
        options["batch"] = True
    call_command("db_worker", verbosity=args.verbosity, **options)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    from socialguard.core.demo import demo_federation_load

    call_command("migrate", interactive=False, verbosity=0)
    result = demo_federation_load()
    print(result.describe(), flush=True)
    if args.no_serve:
        return 0
    args.no_migrate = True
    return cmd_serve(args)


# --- policy, audit, people -------------------------------------------------------------------


def cmd_policy_import(args: argparse.Namespace) -> int:
    _django()
    from django.conf import settings
    from django.urls import reverse

    from socialguard.policy.services import policy_file_parse, policy_version_import

    organisation = _organisation(args.organisation)
    parsed, sha = policy_file_parse(path=Path(args.file))
    version = policy_version_import(
        organisation=organisation,
        parsed=parsed,
        source_name=Path(args.file).name,
        source_sha256=sha,
        make_current=not args.not_current,
        by=None,
    )
    header = ", ".join(
        f"{words} {value}"
        for words, value in (
            ("approved", version.approved_on.strftime("%-d %B %Y") if version.approved_on else ""),
            ("by", version.approved_by),
            (
                "next review",
                version.next_review_on.strftime("%B %Y") if version.next_review_on else "",
            ),
        )
        if value
    )
    count = len(parsed.clauses)
    if version.is_current:
        details = header or "no approval details in the header"
        print(f"Imported {count} clauses as version {version.version}, now current ({details}).")
    else:
        link = settings.SITE_URL + reverse("policy:draft", args=[version.pk])
        print(
            f"Imported {count} clauses as a draft of version {version.version}: not published, "
            f"staff still see the current version. Check and publish it at {link}"
        )
    for warning in version.parse_warnings:
        print(f"  warning, line {warning['line']}: {warning['message']}")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    _django()
    from socialguard.audit.checkpoints import audit_checkpoint_check, audit_checkpoint_loads
    from socialguard.audit.selectors import audit_chain_verify

    checkpoints = []
    for name in args.checkpoint or []:
        try:
            checkpoints.append(audit_checkpoint_loads(Path(name).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(f"cannot read the checkpoint {name}: {error}") from None
    org_id = _organisation(args.organisation).pk if args.organisation else None
    report = audit_chain_verify(organisation_id=org_id)
    failed = False
    if report.problem is None:
        print(f"OK: {report.events_checked} events in {report.chains_checked} chains verified.")
    else:
        p = report.problem
        where = f"event {p.seq}" + (f" (id {p.event_id})" if p.event_id else "")
        print(f"TAMPERED: chain {p.chain}, {where}: {p.message}.", file=sys.stderr)
        failed = True
    for name, checkpoint in zip(args.checkpoint or [], checkpoints, strict=True):
        check = audit_checkpoint_check(checkpoint=checkpoint)
        if check.ok:
            print(f"OK: {name}: the {check.label} is still in the chain, unchanged.")
        else:
            print(f"TAMPERED: {name}: {check.label}: {check.problem}.", file=sys.stderr)
            failed = True
    return 1 if failed else 0


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    _django()
    from socialguard.audit.checkpoints import (
        audit_checkpoint_dumps,
        audit_checkpoint_email,
        audit_checkpoint_issue,
    )

    if args.email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(args.email)
        except ValidationError:
            raise CommandError(f"'{args.email}' is not an e-mail address") from None
    organisation = _organisation(args.organisation)
    checkpoint = audit_checkpoint_issue(organisation=organisation, recipient=args.email or "")
    text = audit_checkpoint_dumps(checkpoint)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Wrote the checkpoint at event {checkpoint['seq']} to {args.out}.")
    if args.email:
        audit_checkpoint_email(checkpoint=checkpoint, to=args.email)
        print(f"E-mailed the checkpoint at event {checkpoint['seq']} to {args.email}.")
    if not args.out and not args.email:
        sys.stdout.write(text)
    return 0


def cmd_audit_export(args: argparse.Namespace) -> int:
    _django()
    from socialguard.audit.selectors import audit_events_between, audit_export_lines

    if args.since and args.until and args.since > args.until:
        raise CommandError("--from must not be after --to")
    org_id = _organisation(args.organisation).pk if args.organisation else None
    events = audit_events_between(since=args.since, until=args.until, organisation_id=org_id)
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout  # noqa: SIM115
    try:
        for chunk in audit_export_lines(events=events, fmt=args.format):
            out.write(chunk)
    finally:
        if args.output:
            out.close()
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    _django()
    import getpass

    from socialguard.accounts.services import deployment_admin_create

    password = os.environ.get("SOCIALGUARD_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    admin = deployment_admin_create(username=args.username, email=args.email, password=password)
    print(f"Created deployment administrator '{admin.username}'.")
    return 0


def cmd_mfa_reset(args: argparse.Namespace) -> int:
    """Clear a person's two-step sign-in (accounts.mfa): for an organisation whose only
    administrator lost their phone and recovery codes. Audited; the person is e-mailed."""
    _django()
    from socialguard.accounts.mfa import mfa_reset
    from socialguard.accounts.models import User
    from socialguard.core.errors import ApplicationError

    user = User.objects.filter(username=args.username).first()
    if user is None:
        raise ApplicationError(f"Nobody has the username '{args.username}'.")
    removed = mfa_reset(user=user, by=None)
    print(f"Two-step sign-in reset for '{user.username}' ({removed} removed); they were e-mailed.")
    return 0


def cmd_roster_export(args: argparse.Namespace) -> int:
    _django()
    import json

    from socialguard.accounts.roster import roster_for

    roster = roster_for(organisation=_organisation(args.organisation))
    text = json.dumps(roster, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_roster_import(args: argparse.Namespace) -> int:
    _django()
    from socialguard.integrations.cli import run

    return run(args, _organisation(args.organisation))


def cmd_monitoring_ingest(args: argparse.Namespace) -> int:
    _django()
    from socialguard.integrations.cli import ProgressBar
    from socialguard.monitoring.cli import run

    return run(args, _organisation(args.organisation), ProgressBar)


def _screening_cli() -> Any:
    """The engine's own CLI module, imported by name: it has no Django, so 'screen' starts fast."""
    import importlib

    return importlib.import_module("socialguard.screening.cli")


def periodic_checks() -> list[str]:
    """Every periodic check, in order: staffing and lapsed approvals, the review queue's
    reminders and safeguarding escalation, unacknowledged concerns, media enquiry deadlines,
    the policy review's reminders."""
    from socialguard.cases.checks import media_enquiry_check_all
    from socialguard.moderation.checks import moderation_check_all
    from socialguard.policy.checks import policy_review_check_all
    from socialguard.safeguarding.checks import concern_check_all
    from socialguard.sites.staffing import sites_check_all

    return (
        sites_check_all()
        + moderation_check_all()
        + concern_check_all()
        + media_enquiry_check_all()
        + policy_review_check_all()
    )


def cmd_sites_check(args: argparse.Namespace) -> int:
    _django()
    lines = periodic_checks()
    print(
        "\n".join(lines)
        if lines
        else "All live sites have cover and nothing is overdue; nothing to do."
    )
    return 0


def _scheduled_checks(interval: float) -> None:
    """The worker's clock: run the periodic checks (staffing, lapsed approvals) every interval.
    They are idempotent, so two workers running them at once change nothing twice."""
    import threading
    import time

    def loop() -> None:
        while True:
            try:
                for line in periodic_checks():
                    print(f"[checks] {line}", flush=True)
            except Exception as error:
                print(f"[checks] failed: {error}", file=sys.stderr, flush=True)
            time.sleep(interval)

    threading.Thread(target=loop, name="socialguard-checks", daemon=True).start()


def _pulse(worker_id: str) -> None:
    """The worker's heartbeat, and the claim-again of tasks whose worker died (at least once).
    SOCIALGUARD_WORKER_HEARTBEAT (seconds, default 10): how often it beats; a worker silent for
    three beats is dead. SOCIALGUARD_TASK_RECLAIM_AFTER (seconds, default 300): how long a task
    must have been running on a dead worker before it is claimed again."""
    import threading
    import time
    from datetime import timedelta

    from django.db import close_old_connections

    from socialguard.notifications.worker import tasks_reclaim_stale, worker_beat

    every = float(os.environ.get("SOCIALGUARD_WORKER_HEARTBEAT", "10"))
    running_for = timedelta(seconds=float(os.environ.get("SOCIALGUARD_TASK_RECLAIM_AFTER", "300")))

    def loop() -> None:
        while True:
            try:
                worker_beat(worker_id=worker_id)
                lines = tasks_reclaim_stale(
                    running_for=running_for, heartbeat_grace=timedelta(seconds=3 * every)
                )
                for line in lines:
                    print(f"[worker] {line}", flush=True)
            except Exception as error:
                print(f"[worker] heartbeat failed: {error}", file=sys.stderr, flush=True)
            finally:
                close_old_connections()
            time.sleep(every)

    threading.Thread(target=loop, name="socialguard-pulse", daemon=True).start()


def cmd_retention(args: argparse.Namespace) -> int:
    _django()
    from django.utils import timezone

    from socialguard.accounts.models import Organisation
    from socialguard.core.retention import retention_due

    organisations = (
        [_organisation(args.organisation)]
        if args.organisation
        else list(Organisation.objects.all())
    )
    today = timezone.localdate()
    plan = [(organisation, retention_due(organisation, today)) for organisation in organisations]
    due = [entry for _, entries in plan for entry in entries]
    for organisation, entries in plan:
        print(
            f"{organisation.name}: concerns are kept {organisation.concern_retention_years} years "
            f"after closing, breach cases and media enquiries {organisation.case_retention_years}."
        )
        for entry in entries:
            print(f"  Would delete: {entry.label}")
    if not due:
        print("Nothing has passed its retention period; nothing to do.")
        return 0
    if not args.delete:
        print(
            f"{len(due)} record(s) past their retention period. Dry run: nothing was deleted; "
            "run again with --delete to delete them."
        )
        return 0
    if not args.yes:
        answer = input(f"Delete these {len(due)} record(s) for good? Type 'delete' to confirm: ")
        if answer.strip() != "delete":
            print("Nothing was deleted.")
            return 1
    for entry in due:
        entry.delete()
        print(f"  Deleted: {entry.label}")
    print(f"Deleted {len(due)} record(s). The audit trail keeps the fact of each deletion.")
    return 0


def cmd_screen(args: argparse.Namespace) -> int:
    try:
        screening_cli = _screening_cli()
    except ImportError:
        raise CommandError("the screening engine is not installed in this build") from None
    return int(screening_cli.run(args))


# --- the parser ------------------------------------------------------------------------------


def build_parser() -> Parser:
    parser = Parser(prog="socialguard", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True

    serve = sub.add_parser("serve", help="run the web server (gunicorn) and one background worker")
    _serve_options(serve)
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run a background worker (mail, reminders, checks)")
    worker.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    worker.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    worker.add_argument("-v", "--verbosity", type=int, default=1)
    worker.set_defaults(func=cmd_worker)

    demo = sub.add_parser("demo", help="load the Roselands & Stafford demo federation and serve it")
    _serve_options(demo)
    demo.add_argument("--no-serve", action="store_true", help="load the demo data, then exit")
    demo.set_defaults(func=cmd_demo)

    migrate = sub.add_parser("migrate", help="create or update the database tables")
    migrate.add_argument("-v", "--verbosity", type=int, default=1)
    migrate.set_defaults(func=cmd_migrate)

    _policy_commands(sub)
    _audit_commands(sub)

    admin = sub.add_parser("createadmin", help="create a deployment administrator")
    admin.add_argument("--username", required=True)
    admin.add_argument("--email", default="")
    admin.set_defaults(func=cmd_createadmin)

    mfa = sub.add_parser("mfa", help="two-step sign-in: reset a person's (a lost phone)")
    mfa_sub = mfa.add_subparsers(dest="mfa_command", required=True)
    reset = mfa_sub.add_parser("reset", help="clear a person's second steps and recovery codes")
    reset.add_argument("username")
    reset.set_defaults(func=cmd_mfa_reset)

    roster = sub.add_parser("roster", help="the roster: import it from the MIS, or export it")
    roster_sub = roster.add_subparsers(dest="roster_command", metavar="ACTION", parser_class=Parser)
    roster_sub.required = True
    export = roster_sub.add_parser("export", help="write the roster JSON for an organisation")
    export.add_argument("--organisation", metavar="SLUG")
    export.add_argument("--output", "-o", metavar="FILE")
    export.set_defaults(func=cmd_roster_export)
    from socialguard.integrations.cli import add_parser as add_roster_import

    add_roster_import(roster_sub)
    roster_sub.choices["import"].set_defaults(func=cmd_roster_import)

    sites = sub.add_parser("sites", help="official sites: run the periodic checks by hand")
    sites_sub = sites.add_subparsers(dest="sites_command", metavar="ACTION", parser_class=Parser)
    sites_sub.required = True
    check = sites_sub.add_parser(
        "check", help="staffing, lapsed approvals, review reminders, safeguarding escalation"
    )
    check.set_defaults(func=cmd_sites_check)

    retention = sub.add_parser(
        "retention", help="list (or delete) closed records past the retention period"
    )
    retention.add_argument("--organisation", metavar="SLUG", help="one organisation (default: all)")
    retention.add_argument(
        "--delete", action="store_true", help="delete them (the default is a dry run)"
    )
    retention.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    retention.set_defaults(func=cmd_retention)

    screen = sub.add_parser("screen", help="screen text against the policy (offline)")
    _screen_options(screen)
    screen.set_defaults(func=cmd_screen)

    from socialguard.monitoring.cli import add_parser as add_monitoring

    add_monitoring(sub, Parser).set_defaults(func=cmd_monitoring_ingest)
    return parser


def _serve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=os.environ.get("SOCIALGUARD_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--no-worker", action="store_true", help="do not start a worker")
    parser.add_argument("--no-migrate", action="store_true", help="do not migrate at start")
    parser.add_argument("--forwarded-allow-ips", default="127.0.0.1")


def _policy_commands(sub: Any) -> None:
    policy = sub.add_parser("policy", help="import a school's own policy document")
    actions = policy.add_subparsers(dest="policy_command", metavar="ACTION", parser_class=Parser)
    actions.required = True
    imp = actions.add_parser("import", help="import a .txt, .md or .docx policy as a new version")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--organisation", metavar="SLUG")
    imp.add_argument("--not-current", action="store_true", help="import without making it current")
    imp.set_defaults(func=cmd_policy_import)


def _audit_commands(sub: Any) -> None:
    audit = sub.add_parser("audit", help="verify, checkpoint or export the audit trail")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", parser_class=Parser)
    actions.required = True
    verify = actions.add_parser("verify", help="check the hash chains; report the first bad event")
    verify.add_argument("--organisation", metavar="SLUG")
    verify.add_argument(
        "--checkpoint",
        metavar="FILE",
        nargs="+",
        help="checkpoint files (from 'audit checkpoint') the chain must still contain",
    )
    verify.set_defaults(func=cmd_audit_verify)
    checkpoint = actions.add_parser(
        "checkpoint", help="write or e-mail a signed copy of the chain head, to keep elsewhere"
    )
    checkpoint.add_argument("--organisation", metavar="SLUG")
    checkpoint.add_argument("--out", "-o", metavar="FILE", help="write it to FILE")
    checkpoint.add_argument("--email", metavar="ADDRESS", help="e-mail it (e.g. to the governors)")
    checkpoint.set_defaults(func=cmd_audit_checkpoint)
    export = actions.add_parser("export", help="write events as CSV or JSON for a date range")
    export.add_argument("--from", dest="since", type=_iso_date, metavar="YYYY-MM-DD")
    export.add_argument("--to", dest="until", type=_iso_date, metavar="YYYY-MM-DD")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--organisation", metavar="SLUG")
    export.add_argument("--output", "-o", metavar="FILE")
    export.set_defaults(func=cmd_audit_export)


def _screen_options(parser: argparse.ArgumentParser) -> None:
    try:
        screening_cli = _screening_cli()
    except ImportError:  # the engine is optional at import time; 'screen' then explains itself
        parser.add_argument("text", nargs="?")
        return
    screening_cli.configure_parser(parser)


def _version() -> str:
    from socialguard import __version__

    return f"socialguard {__version__}"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    from socialguard.core.errors import ApplicationError

    try:
        return func(args)
    except (CommandError, ApplicationError) as error:
        print(f"socialguard: error: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        if error.__class__.__name__ in ("OperationalError", "ProgrammingError"):
            print(
                f"socialguard: error: the database is not ready ({error}); run 'socialguard "
                "migrate' first, and check DATABASE_URL",
                file=sys.stderr,
            )
            return 1
        raise
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
