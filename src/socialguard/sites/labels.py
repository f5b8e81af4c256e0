"""Official sites' audit action codes in plain words (collected by core.labels)."""

from socialguard.core.labels import register

register("audit_area", {"sites": "Official sites"})
register(
    "audit_action",
    {
        "sites.proposal.create": "Site proposed (Appendix B started)",
        "sites.proposal.update": "Site proposal changed",
        "sites.proposal.submit": "Site proposal sent for sign-off",
        "sites.document.terms": "Terms of Use published",
        "sites.document.house_rules": "House Rules published",
        "sites.site.go_live": "Site went live",
        "sites.site.close": "Site closed",
        "sites.site.closing": "Site closing soon",
        "sites.site.evaluate": "Site evaluated",
        "sites.site.neglected": "Site not updated for too long",
        "sites.site.review_due": "Site review due",
        "sites.staffing.degrade": "Too few moderators: stricter moderation",
        "sites.staffing.restore": "Enough moderators again",
        "sites.absence.record": "Absence recorded",
        "sites.absence.cancel": "Absence cancelled",
        "sites.roles.leaver_removed": "Leaver removed from a site's team",
        "sites.request.third_party": "Third-party participation requested",
        "sites.request.content": "Content approval requested",
        "sites.request.logo_use": "Logo use requested",
        "sites.request.advert": "Advert for contributors requested",
        "sites.request.external_friend": "External organisation friend requested",
    },
)
