import rules

from socialguard.accounts.models import Role
from socialguard.accounts.rules import has_role, is_administrator

# The designated safeguarding lead reads it too: they alone see its safeguarding events
# (registered audit scopes hide those from everyone else).
rules.add_perm("audit.view_events", has_role(Role.HEAD_TEACHER, Role.DSL) | is_administrator)
