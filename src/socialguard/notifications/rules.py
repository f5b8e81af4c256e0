import rules

from socialguard.accounts.rules import is_administrator

rules.add_perm("notifications.view_outbox", is_administrator)
