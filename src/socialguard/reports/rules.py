import rules

from socialguard.accounts.models import Role
from socialguard.accounts.rules import has_role, is_administrator

# Governors oversee safeguarding and staff conduct through figures, never through records
# (A.1.7 and section 9): the reports carry counts and times, no names and no content.
rules.add_perm(
    "reports.view_governance",
    has_role(Role.GOVERNOR, Role.HEAD_TEACHER, Role.DSL) | is_administrator,
)
