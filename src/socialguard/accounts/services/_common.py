"""What the writes to people share: the check that records belong to one organisation."""

from __future__ import annotations

from socialguard.accounts.models import (
    Organisation,
)
from socialguard.core.errors import ApplicationError, ErrorCode


def _check_same_organisation(organisation: Organisation, *others: object) -> None:
    for other in others:
        if other is not None and getattr(other, "organisation_id", None) != organisation.pk:
            raise ApplicationError(
                f"{other} belongs to another organisation.", code=ErrorCode.FORBIDDEN
            )
