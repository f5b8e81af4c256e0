"""Appendix B as a PDF that looks like the paper form, with the three approvals filled in."""

from __future__ import annotations

from fpdf import FPDF

from socialguard.sites.models import Audience, Site, SiteRole
from socialguard.sites.selectors import people, site_approval_sheets

LABEL_WIDTH = 62


def _latin1(text: object) -> str:
    """Built-in PDF fonts speak Latin-1: typographic punctuation is mapped, the rest replaced."""
    value = str(text or "").replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'")
    value = value.replace("\u201c", '"').replace("\u201d", '"').replace("\u2026", "...")
    return value.encode("latin-1", "replace").decode("latin-1")


class _Form(FPDF):
    def heading(self, text: str) -> None:
        self.set_font("Helvetica", "B", 10)
        self.set_fill_color(225, 232, 231)
        self.cell(0, 7, _latin1(text), border=1, fill=True, new_x="LMARGIN", new_y="NEXT")

    def row(self, label: str, value: object) -> None:
        self.set_font("Helvetica", "B", 9)
        y = self.get_y()
        self.multi_cell(LABEL_WIDTH, 5, _latin1(label), border=0)
        label_bottom = self.get_y()
        self.set_xy(self.l_margin + LABEL_WIDTH, y)
        self.set_font("Helvetica", "", 9)
        self.multi_cell(0, 5, _latin1(value) or " ", border=0)
        bottom = max(label_bottom, self.get_y()) + 1
        self.rect(self.l_margin, y, self.epw, bottom - y)
        self.set_xy(self.l_margin, bottom)

    def ticks(self, label: str, chosen: list[str], other: str) -> None:
        marks = [f"[{'X' if value in chosen else ' '}] {text}" for value, text in Audience.choices]
        self.row(label, "\n".join(marks) + (f"\nOthers: {other}" if other else ""))


def site_proposal_pdf(*, site: Site) -> bytes:
    pdf = _Form(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, _latin1(site.organisation.name), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.cell(
        0, 8, "Social Media Site Creation Approval Form", new_x="LMARGIN", new_y="NEXT", align="C"
    )
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(
        0,
        6,
        _latin1(f"Site: {site.name}   Status: {site.get_status_display()}"),
        new_x="LMARGIN",
        new_y="NEXT",
        align="C",
    )
    pdf.ln(2)
    pdf.heading("TEAM DETAILS")
    pdf.row("Department", site.department)
    pdf.row(
        "Name of author of site", f"{site.owner.get_full_name()}, {site.owner.position}".strip(", ")
    )
    pdf.row("Author's line manager", site.line_manager.get_full_name() if site.line_manager else "")
    pdf.heading("PURPOSE OF SETTING UP SOCIAL MEDIA SITE")
    pdf.row("Purpose", site.purpose)
    pdf.row(
        "What are the aims you propose to achieve?", "\n".join(f"- {aim}" for aim in site.aims_list)
    )
    pdf.row("What is the proposed content of the site?", site.proposed_content)
    pdf.heading("PROPOSED AUDIENCE AND CONTRIBUTORS")
    pdf.ticks("Proposed audience", site.audience, site.audience_other)
    pdf.ticks("Proposed contributors", site.contributors, site.contributors_other)
    pdf.heading("ADMINISTRATION OF THE SITE")
    pdf.row(
        "Administrators (at least 2)",
        ", ".join(str(p) for p in people(site, SiteRole.Role.ADMINISTRATOR)),
    )
    pdf.row(
        "Moderators (at least 2)", ", ".join(str(p) for p in people(site, SiteRole.Role.MODERATOR))
    )
    pdf.row(
        "Who will vet external contributors?", site.vetter.get_full_name() if site.vetter else ""
    )
    host = (
        f"Third party: {site.host_name} (minimum age {site.host_min_age})"
        if site.host == Site.Host.THIRD_PARTY
        else site.organisation.name
    )
    pdf.row("Who will host the site?", host)
    pdf.row(
        "Proposed date of going live",
        site.go_live_on.strftime("%d %B %Y") if site.go_live_on else "",
    )
    pdf.row(
        "Proposed date for site closure",
        site.closure_on.strftime("%d %B %Y") if site.closure_on else "",
    )
    pdf.row("How will you advertise for external contributors?", site.advertising_plan)
    pdf.row(
        "How will you inform and obtain consent of parents or responsible adults?",
        site.consent_plan,
    )
    pdf.row("Security measures against unwanted or unsuitable 'friends'", site.security_measures)
    _approvals(pdf, site)
    return bytes(pdf.output())


def _approvals(pdf: _Form, site: Site) -> None:
    pdf.heading("APPROVAL")
    sheets = site_approval_sheets(site=site)
    if not sheets:
        pdf.row("Approval", "Not submitted yet.")
        return
    for row in sheets[0]["rows"]:
        step, decision = row["step"], row["decision"]
        pdf.set_font("Helvetica", "BU", 9)
        pdf.cell(0, 6, _latin1(step.name), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "I", 8)
        pdf.multi_cell(0, 4, _latin1(step.statement), new_x="LMARGIN", new_y="NEXT")
        if decision is None:
            pdf.row("Name / Signature / Date", step.get_status_display())
            continue
        deputy = (
            f" (deputy for {decision.on_behalf_of.get_full_name()})"
            if decision.on_behalf_of
            else ""
        )
        pdf.row("Name", f"{decision.approver.get_full_name()}{deputy}")
        pdf.row(
            "Signature",
            f"{decision.signed_name} ({decision.get_signature_method_display().lower()}): "
            f"{decision.get_decision_display()}",
        )
        pdf.row("Date", decision.at.strftime("%d %B %Y"))
