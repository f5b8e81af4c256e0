"""Monitoring's writes (8.1): reading a log into totals and findings, leases, aliases, the annual
filtering review and retention. Keyword-only; each writes its audit event in its transaction.

The writes live in one module per part (``ingesting``, ``sources``, ``reviews``); this package
keeps the names every caller imports.
"""

from socialguard.monitoring.retention import monitoring_purge
from socialguard.monitoring.services._common import (
    CSV_REQUIRED,
    DEFAULT_SOURCE_NAME,
    LeaseRow,
    fingerprint,
    new_reference_code,
    settings_for,
    source_default,
)
from socialguard.monitoring.services.ingesting import (
    ingest_file,
)
from socialguard.monitoring.services.reviews import (
    filtering_review_record,
)
from socialguard.monitoring.services.sources import (
    alias_set,
    lease_import,
)

__all__ = [
    "CSV_REQUIRED",
    "DEFAULT_SOURCE_NAME",
    "LeaseRow",
    "alias_set",
    "filtering_review_record",
    "fingerprint",
    "ingest_file",
    "lease_import",
    "monitoring_purge",
    "new_reference_code",
    "settings_for",
    "source_default",
]
