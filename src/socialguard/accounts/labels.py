"""Accounts' audit action codes in plain words (collected by core.labels)."""

from socialguard.core.labels import register

register("audit_area", {"accounts": "People and roles", "admin": "Administration"})
register(
    "audit_action",
    {
        "accounts.organisation.create": "Organisation created",
        "accounts.school.create": "School added",
        "accounts.person.create": "Person added",
        "accounts.person.leave": "Person left the organisation",
        "accounts.person.line_manager": "Line manager changed",
        "accounts.role.assign": "Role given",
        "accounts.role.change": "Role changed",
        "accounts.role.confirm": "Role confirmed",
        "accounts.role.end": "Role ended",
        "accounts.role.safeguarding": "Safeguarding role given",
        "admin.roleassignment.change": "Role changed on the admin pages",
        "admin.roleassignment.delete": "Role removed on the admin pages",
        "admin.school.change": "School changed on the admin pages",
    },
)
