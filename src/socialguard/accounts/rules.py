"""Object-level permission predicates shared by every app (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from socialguard.accounts import selectors
from socialguard.accounts.models import LEADER_ROLES, Role


def has_role(*roles: str) -> Any:
    name = "has_role:" + ",".join(sorted(roles))

    @rules.predicate(name=name)
    def predicate(user: Any) -> bool:
        return selectors.has_role(user, *roles)

    return predicate


is_superuser = rules.is_superuser
is_administrator = has_role(Role.ADMINISTRATOR) | is_superuser
is_head_teacher = has_role(Role.HEAD_TEACHER)
is_leader = has_role(*LEADER_ROLES)
is_staff_member = rules.predicate(selectors.is_staff_member, name="is_staff_member")
is_line_manager = rules.predicate(selectors.is_line_manager, name="is_line_manager")


@rules.predicate
def same_organisation(user: Any, obj: Any) -> bool:
    if obj is None:
        return True
    org_id = obj.pk if obj.__class__.__name__ == "Organisation" else obj.organisation_id
    return bool(user.is_authenticated and user.organisation_id == org_id)


rules.add_perm("accounts.view_organisation", same_organisation | is_superuser)

# An organisation's administrators manage its schools, people, roles and reporting lines in the
# admin (scoped to their organisation by OrganisationScopedAdmin). Deployment administrators
# (superusers) pass every check anyway.
rules.add_perm("accounts", is_administrator)
for _model in ("user", "school", "roleassignment"):
    for _verb in ("view", "add", "change", "delete"):
        rules.add_perm(f"accounts.{_verb}_{_model}", is_administrator)
rules.add_perm("accounts.view_organisation_admin", is_administrator)
rules.add_perm("accounts.change_organisation", is_administrator)

# Who reads the audit trail (accounts names the roles, so audit imports no app): the head
# teacher, the administrator and the designated safeguarding lead, who alone see its
# safeguarding events (registered audit scopes hide those from everyone else).
rules.add_perm("audit.view_events", has_role(Role.HEAD_TEACHER, Role.DSL) | is_administrator)
