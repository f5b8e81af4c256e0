"""Changing organisations, schools, people and roles. Each service is one transaction that
writes one audit event.

The writes live in one module per part (``organisations``, ``people``, ``roles``); this package
keeps the names every caller imports.
"""

from socialguard.accounts.services.organisations import (
    organisation_create,
    school_create,
)
from socialguard.accounts.services.people import (
    LeavingHook,
    deployment_admin_create,
    line_manager_set,
    person_create,
    person_details_update,
    person_leave,
    register_leaving_hook,
)
from socialguard.accounts.services.roles import (
    lead_history_confirm,
    role_assign,
    role_assignment_save,
    role_end,
)

__all__ = [
    "LeavingHook",
    "deployment_admin_create",
    "lead_history_confirm",
    "line_manager_set",
    "organisation_create",
    "person_create",
    "person_details_update",
    "person_leave",
    "register_leaving_hook",
    "role_assign",
    "role_assignment_save",
    "role_end",
    "school_create",
]
