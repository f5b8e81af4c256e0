import rules

from socialguard.accounts.models import SAFEGUARDING_ROLES, Role
from socialguard.accounts.rules import has_role


@rules.predicate
def reviews_a_site(user: object) -> bool:
    from socialguard.moderation.permissions import reviewer_for

    return reviewer_for(user).reviews_anything


rules.add_perm("moderation.view_queue", reviews_a_site)
rules.add_perm("moderation.view_safeguarding", has_role(*SAFEGUARDING_ROLES))
rules.add_perm("moderation.review_external_friends", has_role(Role.COMMS_MANAGER))
