import rules

from socialguard.accounts.models import Role
from socialguard.accounts.rules import has_role, is_administrator

rules.add_perm("audit.view_events", has_role(Role.HEAD_TEACHER) | is_administrator)
