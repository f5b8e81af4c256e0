"""Cases' audit action codes in plain words (collected by core.labels)."""

from socialguard.core.labels import register

register("audit_area", {"cases": "Breaches and media enquiries"})
register(
    "audit_action",
    {
        "cases.report.submit": "Breach reported",
        "cases.report.new": "Breach report received",
        "cases.report.receipt": "Reporter sent a receipt",
        "cases.report.closed": "Breach report considered and closed",
        "cases.report.considered": "Breach reporter told their report was considered",
        "cases.report.not_a_breach": "Report found not to be a breach",
        "cases.report.no_governor": "No governor to hear a report about the head teacher",
        "cases.report.retention_delete": "Breach report deleted (retention)",
        "cases.case.open": "Breach case opened",
        "cases.case.stage": "Breach case moved on",
        "cases.case.outcome": "Breach case outcome recorded",
        "cases.case.close": "Breach case closed",
        "cases.case.handed_over": "Breach case handed to the governors",
        "cases.case.retention_delete": "Breach case deleted (retention)",
        "cases.appeal.decide": "Appeal decided",
        "cases.access.grant": "Access to a case given",
        "cases.access.revoke": "Access to a case withdrawn",
        "cases.media.log": "Media enquiry logged",
        "cases.media.new": "Media enquiry logged",
        "cases.media.ack": "Media enquiry acknowledged",
        "cases.media.remind": "Head teacher reminded of a media enquiry",
        "cases.media.reminder": "Head teacher reminded of a media enquiry",
        "cases.media.overdue": "Media enquiry overdue",
        "cases.media.respond": "Media enquiry answered",
        "cases.media.responded": "Media enquiry answered",
        "cases.media.retention_delete": "Media enquiry deleted (retention)",
        "cases.add_note": "Note added to a case",
        "cases.add_evidence": "Evidence added to a case",
        "cases.move_to_hearing": "Case moved to a hearing",
        "cases.record_outcome": "Case outcome recorded",
        "cases.file_appeal": "Appeal recorded",
        "cases.decide_appeal": "Appeal decided",
        "cases.close": "Case closed",
    },
)
