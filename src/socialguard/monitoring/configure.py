"""What the IT / monitoring lead configures from the pages: log sources and their CSV column
mapping, domain categories, contracted hours, term dates, the weekly threshold and the retention
period (6.13, 8.1). Each change is one transaction with one audit event."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time
from typing import Any

from django.db import IntegrityError, transaction

from socialguard.accounts.models import Organisation, Role, User
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.monitoring.models import (
    Category,
    DomainCategory,
    LogFormat,
    LogSource,
    MatchUsersBy,
    MonitoringSettings,
    TermDate,
    UserAlias,
    WorkingHours,
)

CSV_FIELDS = ("time", "ip", "user", "method", "url", "host", "status", "bytes")
# A CSV export needs at least these to be read at all (who and where).
CSV_REQUIRED = ("time", "url")
DOMAIN = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")


def _invalid(message: str) -> ApplicationError:
    return ApplicationError(message, code=ErrorCode.INVALID)


def _audit(by: User, action: str, target: Any = None, **details: Any) -> None:
    audit_record(
        actor=by,
        action=f"monitoring.{action}",
        target=target,
        clauses=["8.1"],
        organisation_id=by.organisation_id,
        details=details,
    )


# --- Sources ------------------------------------------------------------------------------


def mapping_clean(mapping: Mapping[str, str], *, log_format: str) -> dict[str, str]:
    """Our field -> the export's heading; only for CSV sources, with time and url mapped."""
    if log_format != LogFormat.CSV:
        return {}
    clean = {k: v.strip()[:100] for k, v in mapping.items() if k in CSV_FIELDS and v.strip()}
    missing = [f for f in CSV_REQUIRED if f not in clean]
    if missing:
        raise _invalid(
            "A CSV source needs the column headings for "
            + " and ".join(missing)
            + " (what the export calls them)."
        )
    if len(set(clean.values())) != len(clean):
        raise _invalid("Each of our fields needs a different column heading.")
    return clean


@transaction.atomic
def source_save(
    *,
    organisation: Organisation,
    by: User,
    name: str,
    log_format: str,
    match_users_by: str,
    column_mapping: Mapping[str, str],
    time_format: str = "",
    is_default: bool = False,
    source: LogSource | None = None,
) -> LogSource:
    name = name.strip()
    if not name:
        raise _invalid("Give the source a name (for example 'Main web proxy').")
    if log_format not in LogFormat.values or match_users_by not in MatchUsersBy.values:
        raise _invalid("Choose the log format and how user names are matched from the lists.")
    if source is not None and source.organisation_id != organisation.pk:
        raise ApplicationError("No such source.", code=ErrorCode.NOT_FOUND)
    creating = source is None
    source = source or LogSource(organisation=organisation)
    source.name = name[:100]
    source.format = log_format
    source.match_users_by = match_users_by
    source.column_mapping = mapping_clean(column_mapping, log_format=log_format)
    source.time_format = time_format.strip()[:40]
    if is_default:
        LogSource.objects.filter(organisation=organisation, is_default=True).exclude(
            pk=source.pk
        ).update(is_default=False)
        source.is_default = True
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError as error:
        raise _invalid("Another source already has this name: choose another.") from error
    _audit(
        by,
        "source.create" if creating else "source.update",
        source,
        format=source.format,
        mapping=sorted(source.column_mapping),
        default=source.is_default,
    )
    return source


@transaction.atomic
def alias_delete(*, alias: UserAlias, by: User) -> None:
    if alias.source.organisation_id != by.organisation_id:
        raise ApplicationError("No such alias.", code=ErrorCode.NOT_FOUND)
    _audit(by, "alias.delete", alias.source, proxy_name=alias.proxy_name)
    alias.delete()


# --- Categories ---------------------------------------------------------------------------


def domain_clean(raw: str) -> str:
    domain = raw.strip().lower().removeprefix("http://").removeprefix("https://")
    domain = domain.split("/")[0].removeprefix("*.").removeprefix(".").rstrip(".")
    if not DOMAIN.match(domain):
        raise _invalid(f"'{raw.strip()[:80]}' is not a domain name (for example facebook.com).")
    return domain


@transaction.atomic
def category_domain_set(
    *, organisation: Organisation, by: User, domain: str, category: str
) -> DomainCategory:
    """The school's own category for a domain; it overrides a shipped default for the same
    domain (and its sub-domains)."""
    if category not in Category.values:
        raise _invalid("Choose a category from the list.")
    clean = domain_clean(domain)
    row, _ = DomainCategory.objects.update_or_create(
        organisation=organisation, domain=clean, defaults={"category": category}
    )
    _audit(by, "category.update", row, domain=clean, category=category)
    return row


@transaction.atomic
def category_domain_remove(*, row: DomainCategory, by: User) -> None:
    if row.organisation_id != by.organisation_id:
        raise ApplicationError(
            "Shipped defaults stay: give the domain another category instead.",
            code=ErrorCode.FORBIDDEN,
        )
    _audit(by, "category.update", row, domain=row.domain, removed=True)
    row.delete()


# --- Hours, terms, threshold and retention --------------------------------------------------


@transaction.atomic
def hours_add(
    *,
    organisation: Organisation,
    by: User,
    weekdays: list[int],
    starts: time,
    ends: time,
    role: str = "",
    user: User | None = None,
) -> list[WorkingHours]:
    if (not role) == (user is None):
        raise _invalid("Choose a role or one person, not both.")
    if role and role not in Role.values:
        raise _invalid("Choose a role from the list.")
    if user is not None and user.organisation_id != organisation.pk:
        raise _invalid("Choose someone of your organisation.")
    if ends <= starts:
        raise _invalid("The hours must end after they start.")
    if not weekdays or any(d not in range(7) for d in weekdays):
        raise _invalid("Choose at least one day of the week.")
    rows = [
        WorkingHours.objects.create(
            organisation=organisation, role=role, user=user, weekday=d, starts=starts, ends=ends
        )
        for d in sorted(set(weekdays))
    ]
    _audit(
        by,
        "hours.update",
        role=role,
        user=user.pk if user else None,
        weekdays=sorted(set(weekdays)),
        starts=starts.isoformat(),
        ends=ends.isoformat(),
    )
    return rows


@transaction.atomic
def hours_remove(*, row: WorkingHours, by: User) -> None:
    if row.organisation_id != by.organisation_id:
        raise ApplicationError("No such hours.", code=ErrorCode.NOT_FOUND)
    _audit(by, "hours.update", removed=row.pk, role=row.role, user=row.user_id)
    row.delete()


@transaction.atomic
def term_add(
    *, organisation: Organisation, by: User, label: str, starts_on: date, ends_on: date
) -> TermDate:
    label = label.strip()
    if not label:
        raise _invalid("Name the term (for example 'Autumn 2026').")
    if ends_on < starts_on:
        raise _invalid("The term must end on or after the day it starts.")
    overlap = TermDate.objects.filter(
        organisation=organisation, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()
    if overlap is not None:
        raise _invalid(f"These dates overlap {overlap.label}: change one of them.")
    term = TermDate.objects.create(
        organisation=organisation, label=label[:80], starts_on=starts_on, ends_on=ends_on
    )
    _audit(by, "terms.update", term, label=term.label)
    return term


@transaction.atomic
def term_remove(*, term: TermDate, by: User) -> None:
    if term.organisation_id != by.organisation_id:
        raise ApplicationError("No such term.", code=ErrorCode.NOT_FOUND)
    _audit(by, "terms.update", term, removed=term.label)
    term.delete()


@transaction.atomic
def settings_update(
    *, settings: MonitoringSettings, by: User, threshold_minutes: int, retention_days: int
) -> MonitoringSettings:
    if not 1 <= threshold_minutes <= 10080:
        raise _invalid("The weekly threshold is between 1 minute and a whole week (10,080).")
    if not 7 <= retention_days <= 3650:
        raise _invalid("Keep records between 7 days and 10 years (3,650 days).")
    settings.weekly_social_minutes_threshold = threshold_minutes
    settings.retention_days = retention_days
    settings.save(update_fields=["weekly_social_minutes_threshold", "retention_days", "updated_at"])
    _audit(
        by,
        "settings.update",
        settings,
        threshold_minutes=threshold_minutes,
        retention_days=retention_days,
    )
    return settings
