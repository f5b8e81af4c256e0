"""What monitoring's writes share: its settings, the default source, fingerprints and references."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.db import IntegrityError, transaction

from socialguard.accounts.models import Organisation
from socialguard.audit.services import audit_record
from socialguard.monitoring.models import (
    LogSource,
    MonitoringSettings,
)

DEFAULT_SOURCE_NAME = "Default web proxy"
CSV_REQUIRED = ("time",)
LeaseRow = tuple[int, int, str, str, datetime, datetime, int | None, str]


def settings_for(*, organisation: Organisation) -> MonitoringSettings:
    found, _ = MonitoringSettings.objects.get_or_create(organisation=organisation)
    return found


@transaction.atomic
def source_default(*, organisation: Organisation) -> LogSource:
    """The organisation's default source, created on first use (Squid, by user name)."""
    found = LogSource.objects.filter(organisation=organisation, is_default=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            source = LogSource.objects.create(
                organisation=organisation, name=DEFAULT_SOURCE_NAME, is_default=True
            )
    except IntegrityError:  # created meanwhile by another run
        return LogSource.objects.get(organisation=organisation, is_default=True)
    audit_record(
        actor=None,
        action="monitoring.source.create",
        target=source,
        clauses=("8.1",),
        organisation_id=organisation.pk,
        details={"name": source.name, "format": source.format, "default": True},
    )
    return source


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def new_reference_code() -> str:
    """A finding's reference, MF-XXXX-XXXX (the caller checks it is not taken)."""
    code = secrets.token_hex(4).upper()
    return f"MF-{code[:4]}-{code[4:]}"
