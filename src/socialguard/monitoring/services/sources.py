"""What a source knows: DHCP leases imported from a CSV, proxy user names linked to people."""

from __future__ import annotations

import csv
import io
import ipaddress
from datetime import datetime
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from socialguard.accounts.models import User
from socialguard.audit.services import audit_record
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.monitoring.models import (
    AddressLease,
    LogSource,
    UserAlias,
)
from socialguard.monitoring.services._common import (
    LeaseRow,
)
from socialguard.monitoring.setup import ip_to_int


def _lease_range(row: dict[str, str]) -> tuple[str, str]:
    if row.get("network"):
        network = ipaddress.IPv4Network(row["network"].strip(), strict=False)
        return str(network[0]), str(network[-1])
    if row.get("ip"):
        ip = str(ipaddress.IPv4Address(row["ip"].strip()))
        return ip, ip
    first = str(ipaddress.IPv4Address(row["first_ip"].strip()))
    last = str(ipaddress.IPv4Address(row["last_ip"].strip()))
    return first, last


def _aware(value: str) -> datetime:
    parsed = parse_datetime(value.strip())
    if parsed is None:
        raise ValueError(value)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _lease_rows(source: LogSource, text: str) -> list[LeaseRow]:
    reader = csv.DictReader(io.StringIO(text))
    heads = {h.strip().lower() for h in reader.fieldnames or []}
    if not heads & {"ip", "network", "first_ip"} or not {"starts_at", "ends_at"} <= heads:
        raise ApplicationError(
            "The lease file needs the columns ip (or network, or first_ip and last_ip), "
            "starts_at and ends_at; username or email and device are optional."
        )
    people = User.objects.filter(organisation_id=source.organisation_id)
    by_name = {u.username.lower(): u.pk for u in people}
    by_email = {u.email.lower(): u.pk for u in people if u.email}
    rows, bad = [], []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        try:
            first, last = _lease_range(row)
            starts, ends = _aware(row["starts_at"]), _aware(row["ends_at"])
            if ends <= starts or ip_to_int(last) < ip_to_int(first):
                raise ValueError("order")
        except (ValueError, KeyError):
            bad.append(number)
            continue
        name = row.get("username", "").lower()
        user_id = by_name.get(name) if name else by_email.get(row.get("email", "").lower())
        rows.append(
            (
                ip_to_int(first),
                ip_to_int(last),
                first,
                last,
                starts,
                ends,
                user_id,
                row.get("device", "")[:120],
            )
        )
    if bad:
        shown = ", ".join(str(n) for n in bad[:5])
        raise ApplicationError(
            f"{len(bad)} rows of the lease file could not be read (rows {shown}): each needs an "
            "IPv4 address or range and a start before its end. Nothing was imported."
        )
    return rows


@transaction.atomic
def lease_import(*, source: LogSource, file: IO[bytes] | IO[str], by: User | None) -> int:
    """Import a DHCP lease export (CSV): which device and person held which address when."""
    data = file.read()
    text = data.decode("utf-8-sig", "replace") if isinstance(data, bytes) else data
    rows = _lease_rows(source, text)
    AddressLease.objects.bulk_create(
        AddressLease(
            source=source,
            first_ip_int=a,
            last_ip_int=b,
            first_ip=first,
            last_ip=last,
            starts_at=starts,
            ends_at=ends,
            user_id=user_id,
            device=device,
        )
        for a, b, first, last, starts, ends, user_id, device in rows
    )
    audit_record(
        actor=by,
        action="monitoring.lease.import",
        target=source,
        clauses=("8.1",),
        organisation_id=source.organisation_id,
        details={"rows": len(rows), "with_person": sum(1 for r in rows if r[6])},
    )
    return len(rows)


@transaction.atomic
def alias_set(*, source: LogSource, proxy_name: str, user: User, by: User | None) -> UserAlias:
    name = proxy_name.strip().lower()
    if not name or len(name) > 200:
        raise ApplicationError("Give the user name as the proxy writes it (up to 200 letters).")
    if user.organisation_id != source.organisation_id:
        raise ApplicationError("That person is not in this organisation.", code=ErrorCode.INVALID)
    alias, _ = UserAlias.objects.update_or_create(
        source=source, proxy_name=name, defaults={"user": user}
    )
    audit_record(
        actor=by,
        action="monitoring.alias.set",
        target=alias,
        clauses=("8.1",),
        organisation_id=source.organisation_id,
        details={"proxy_name": name, "user": user.pk},
    )
    return alias


# -- the annual review and retention ---------------------------------------------------------
