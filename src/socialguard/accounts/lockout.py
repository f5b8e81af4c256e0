"""Sign-in lockout (django-axes): per account, and per address with a higher limit.

A whole school often reaches the server from one address, so locking an address after the five
failures that lock an account would lock every pupil and teacher out after a few typos. Axes
compares one failure count with one limit; this handler reports the larger of the account's
failures and the address's failures scaled to the account limit, so an account locks at
``AXES_FAILURE_LIMIT`` failures and an address at ``SOCIALGUARD_LOGIN_ADDRESS_FAILURE_LIMIT``.
Settings: ``AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]`` in that order.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        by_account, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        scaled = (
            by_address * settings.AXES_FAILURE_LIMIT
        ) // settings.SOCIALGUARD_LOGIN_ADDRESS_FAILURE_LIMIT
        return max(by_account, scaled)
