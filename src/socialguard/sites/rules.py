import rules

from socialguard.accounts.rules import is_administrator, is_staff_member

# The register is open to every staff member: official sites are the school's, not one team's.
rules.add_perm("sites.view_register", is_staff_member | is_administrator)
rules.add_perm("sites.propose", is_staff_member)
