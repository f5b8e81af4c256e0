import rules

from socialguard.accounts.models import Role
from socialguard.accounts.rules import has_role, is_administrator, is_staff_member

# The head teacher answers for every staff member having read the policy; administrators run
# the deployment. Governors see the review date on their dashboard, not individuals' names.
rules.add_perm("policy.view_acknowledgements", has_role(Role.HEAD_TEACHER) | is_administrator)
rules.add_perm("policy.acknowledge", is_staff_member)
# Uploading, reviewing and publishing the policy: the head teacher answers for it to the
# governors; administrators run the deployment.
rules.add_perm("policy.manage", has_role(Role.HEAD_TEACHER) | is_administrator)
