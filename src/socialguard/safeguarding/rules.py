import rules

from socialguard.accounts.models import SAFEGUARDING_ROLES
from socialguard.accounts.rules import has_role, is_staff_member


@rules.predicate
def may_open_concern(user: object, concern: object) -> bool:
    from socialguard.safeguarding.models import Concern
    from socialguard.safeguarding.permissions import can_view

    return isinstance(concern, Concern) and can_view(user, concern)


# A.2.3: the list of concerns is for the DSL and deputies; any staff member reports one (2.1).
rules.add_perm("safeguarding.view_concerns", has_role(*SAFEGUARDING_ROLES))
rules.add_perm("safeguarding.report_concern", is_staff_member)
rules.add_perm("safeguarding.view_concern", may_open_concern)
