"""Community's audit action codes in plain words (collected by core.labels)."""

from socialguard.core.labels import register

register("audit_area", {"community": "School-hosted sites"})
register(
    "audit_action",
    {
        "community.contribution.submit": "Post or comment sent for moderation",
        "community.contribution.report": "Member reported a post",
        "community.contribution.publish": "Post or comment published",
        "community.contribution.reject": "Post or comment rejected",
        "community.contribution.withhold": "Post or comment withheld",
        "community.membership.request": "Asked to join a site",
        "community.membership.approve": "Member approved",
        "community.membership.refuse": "Member refused",
        "community.membership.suspend": "Member suspended",
    },
)
