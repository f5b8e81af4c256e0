"""Writes for the integrations: saving the MIS column names, reading an uploaded roster into a
dry run, and applying it. Each is one transaction with its audit event; applying calls accounts'
own services (each writes its own event too), so a joiner, a leaver and a change are recorded
exactly as if an administrator had made them by hand."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from socialguard.accounts.models import Organisation, Role, School, User
from socialguard.accounts.roster import roster_forget
from socialguard.accounts.services import (
    line_manager_set,
    person_create,
    person_details_update,
    person_leave,
    role_assign,
    role_assignment_save,
)
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError
from socialguard.integrations import rosterfile
from socialguard.integrations.models import RosterImport, RosterLink, RosterMapping
from socialguard.integrations.selectors import (
    Plan,
    check_manager,
    roster_mapping_of,
    roster_plan,
)

Progress = Callable[[int, int], None]


@transaction.atomic
def roster_mapping_save(
    *, organisation: Organisation, kind: str, columns: dict[str, str], by: User | None
) -> RosterMapping:
    check_manager(user=by, organisation=organisation)
    if kind not in rosterfile.KINDS:
        raise ApplicationError("Choose pupils or staff.")
    cleaned = {f: " ".join(columns.get(f, "").split()) for f in rosterfile.FIELDS[kind]}
    missing = [rosterfile.FIELD_LABELS[f] for f in rosterfile.REQUIRED[kind] if not cleaned[f]]
    if missing:
        raise ApplicationError("Name the column for: " + ", ".join(missing) + ".")
    mapping, _ = RosterMapping.objects.update_or_create(
        organisation=organisation, kind=kind, defaults={"columns": cleaned}
    )
    audit_record(
        actor=by,
        action="integrations.roster.mapping",
        target=mapping,
        organisation_id=organisation.pk,
        details={"kind": kind, "columns": cleaned},
    )
    return mapping


@transaction.atomic
def roster_import_create(
    *,
    organisation: Organisation,
    kind: str,
    source: str,
    data: bytes,
    filename: str = "",
    school: School | None = None,
    by: User | None,
) -> RosterImport:
    """Read the file into a dry run; nothing about any person changes yet. ``source`` is the
    MIS the file came from, ``own`` for the saved column names, or ``auto`` to tell by its
    header line."""
    check_manager(user=by, organisation=organisation)
    if kind not in rosterfile.KINDS:
        raise ApplicationError("Choose pupils or staff.")
    if school is not None and school.organisation_id != organisation.pk:
        raise ApplicationError("Choose one of your organisation's schools.")
    own = roster_mapping_of(organisation=organisation, kind=kind)
    if source == "auto":
        source = _detect(data, kind) or (rosterfile.OWN if own else "")
        if not source:
            raise ApplicationError(
                "The file's columns are not those of a SIMS, Arbor or Bromcom export: choose "
                "the MIS it came from, or save your own column names first."
            )
    columns = rosterfile.columns_for(source, kind, own)
    rows = rosterfile.parse(data, kind=kind, columns=columns)
    roster_import = RosterImport.objects.create(
        organisation=organisation,
        kind=kind,
        source=source,
        school=school,
        filename=filename[:200],
        rows=rosterfile.rows_to_data(rows),
        uploaded_by=by,
    )
    audit_record(
        actor=by,
        action="integrations.roster.upload",
        target=roster_import,
        organisation_id=organisation.pk,
        details={"kind": kind, "source": source, "rows": len(rows)},
    )
    return roster_import


def _detect(data: bytes, kind: str) -> str | None:
    return rosterfile.detect_source(rosterfile.headers_of(data), kind)


@transaction.atomic
def roster_import_apply(
    *, roster_import: RosterImport, by: User | None, progress: Progress | None = None
) -> Plan:
    """Apply the dry run as it stands now: joiners are added with their role, changes made,
    leavers ended (6.7: ``person_leave`` ends their roles and their site roles; nobody is
    deleted). The screening engine's roster is forgotten after commit, so the next post is
    screened against the new one."""
    organisation = roster_import.organisation
    check_manager(user=by, organisation=organisation)
    roster_import = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    if roster_import.status == RosterImport.Status.APPLIED:
        raise ApplicationError("This import has already been applied: upload the file again.")
    plan = roster_plan(roster_import=roster_import)
    total = len(plan.joiners) + len(plan.changes) + len(plan.leavers) + len(plan.unchanged)
    step = _counter(progress, total)
    if plan.kind == rosterfile.PUPILS:
        _apply_pupils(plan, roster_import, by, step)
    else:
        _apply_staff(plan, roster_import, by, step)
    for user in (leaver.user for leaver in plan.leavers):
        person_leave(user=user, by=by)
        step()
    roster_import.status = RosterImport.Status.APPLIED
    roster_import.applied_at, roster_import.applied_by = timezone.now(), by
    roster_import.summary = plan.counts
    roster_import.save(
        update_fields=["status", "applied_at", "applied_by", "summary", "updated_at"]
    )
    audit_record(
        actor=by,
        action="integrations.roster.apply",
        target=roster_import,
        organisation_id=organisation.pk,
        clauses=["6.7"] if plan.leavers else [],
        details={"kind": plan.kind, **plan.counts},
    )
    transaction.on_commit(lambda: roster_forget(organisation_id=organisation.pk))
    return plan


def _counter(progress: Progress | None, total: int) -> Callable[[], None]:
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    return step


def _apply_pupils(
    plan: Plan, roster_import: RosterImport, by: User | None, step: Callable[[], None]
) -> None:
    organisation = roster_import.organisation
    for joiner in plan.joiners:
        row = joiner.row
        assert isinstance(row, rosterfile.PupilRow)
        person = person_create(
            organisation=organisation,
            username=_username(f"{row.legal_first}.{row.legal_last}"),
            first_name=row.legal_first,
            last_name=row.legal_last,
            school=roster_import.school,
            by=by,
        )
        role_assign(
            user=person, role=Role.PUPIL, school=roster_import.school, year_group=row.year, by=by
        )
        _link(organisation, rosterfile.PUPILS, person, row)
        step()
    for change in plan.changes:
        row = change.row
        assert isinstance(row, rosterfile.PupilRow) and change.assignment is not None
        person_details_update(
            user=change.user, first_name=row.legal_first, last_name=row.legal_last, by=by
        )
        if change.assignment.year_group != row.year:
            change.assignment.year_group = row.year
            role_assignment_save(assignment=change.assignment, by=by, changed=["year_group"])
        _link(organisation, rosterfile.PUPILS, change.user, row)
        step()
    for user, row, _link_row in plan.unchanged:
        _link(organisation, rosterfile.PUPILS, user, row)
        step()


def _apply_staff(
    plan: Plan, roster_import: RosterImport, by: User | None, step: Callable[[], None]
) -> None:
    organisation = roster_import.organisation
    by_email: dict[str, User] = {}
    for joiner in plan.joiners:
        row = joiner.row
        assert isinstance(row, rosterfile.StaffRow)
        person = person_create(
            organisation=organisation,
            username=_username(row.email.split("@")[0]),
            first_name=row.first,
            last_name=row.last,
            email=row.email,
            position=row.role,
            school=roster_import.school,
            by=by,
        )
        role_assign(user=person, role=Role.STAFF, school=roster_import.school, by=by)
        _link(organisation, rosterfile.STAFF, person, row)
        by_email[row.email] = person
        step()
    for change in plan.changes:
        row = change.row
        assert isinstance(row, rosterfile.StaffRow)
        person_details_update(
            user=change.user,
            first_name=row.first,
            last_name=row.last,
            email=row.email,
            position=row.role or None,
            by=by,
        )
        by_email[row.email] = change.user
        _link(organisation, rosterfile.STAFF, change.user, row)
        step()
    for user, row, _link_row in plan.unchanged:
        assert isinstance(row, rosterfile.StaffRow)
        by_email[row.email] = user
        _link(organisation, rosterfile.STAFF, user, row)
        step()
    _set_line_managers(organisation, plan, by_email, by)


def _set_line_managers(
    organisation: Organisation, plan: Plan, by_email: dict[str, User], by: User | None
) -> None:
    """After everyone is in: a line manager may be a joiner on a later line."""
    rows = [j.row for j in plan.joiners] + [c.row for c in plan.changes]
    for row in rows:
        assert isinstance(row, rosterfile.StaffRow)
        if not row.line_manager:
            continue
        person = by_email[row.email]
        manager = by_email.get(row.line_manager) or (
            User.objects.filter(
                organisation=organisation, email__iexact=row.line_manager, left_on__isnull=True
            ).first()
        )
        if manager is None or manager.pk == person.pk or person.line_manager_id == manager.pk:
            continue
        try:
            with transaction.atomic():
                line_manager_set(user=person, line_manager=manager, by=by)
        except ApplicationError:
            # A cycle in the MIS's data (A manages B manages A): left as it was, as the dry
            # run's line manager column shows.
            continue


def _link(organisation: Organisation, kind: str, user: User, row: rosterfile.Row) -> None:
    """Keep the MIS's identifier (and a pupil's preferred names and class) beside the person.
    An identifier that pointed at someone else (a pupil who left and came back as a new
    record) now points here."""
    values = {"external_id": row.external_id}
    if isinstance(row, rosterfile.PupilRow):
        values |= {
            "preferred_first": row.preferred_first,
            "preferred_last": row.preferred_last,
            "class_name": row.class_name,
        }
    if row.external_id:
        RosterLink.objects.filter(
            organisation=organisation, kind=kind, external_id=row.external_id
        ).exclude(user=user).update(external_id="")
    RosterLink.objects.update_or_create(
        user=user, kind=kind, defaults={"organisation": organisation, **values}
    )


def _username(base: str) -> str:
    stem = slugify(base.replace(".", "-")).replace("-", ".")[:140] or "person"
    candidate, n = stem, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{stem}{n}"
    return candidate


def preferred_names(organisation: Organisation) -> dict[int, list[tuple[str, str]]]:
    """The names pupils go by as well as their legal ones (the screening roster's provider)."""
    links = RosterLink.objects.filter(organisation=organisation, kind=rosterfile.PUPILS).exclude(
        preferred_first="", preferred_last=""
    )
    return {
        link.user_id: [(link.preferred_first, link.preferred_last)]
        for link in links.filter(user__left_on__isnull=True)
        if link.preferred_first or link.preferred_last
    }
