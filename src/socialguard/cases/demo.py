"""Demo breach reports, cases and a media enquiry for the Roselands & Stafford demo federation,
made through the real services. Every record is fictional and says so."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from socialguard.accounts.models import Organisation, User
from socialguard.cases import media, services
from socialguard.sites.models import Site

DEMO = "(Demo record: fictional.) "


def load_demo_cases(organisation: Organisation, people: dict[str, User]) -> None:
    head, governor = people["head"], people["governor"]
    schools = {s.slug: s for s in organisation.schools.all()}
    # The chair of governors hears appeals against the head teacher's decisions.
    services.case_access_grant(user=governor, by=head)

    # 9.4: a contractor tells the school, without signing in; waiting to be triaged.
    services.breach_report_submit(
        organisation=organisation,
        reporter_name="Dave Mills (ICT Support)",
        reporter_email="dave.mills@ict-support.example",
        reporter_relationship="contractor",
        clause_number="6.9",
        when="Tuesday afternoon, in the Year 2 classroom",
        person_concerned_name="Not sure of their name",
        what_happened=DEMO + "While updating the classroom laptops I saw a personal Instagram "
        "account open on one of them, with photos of children from the Year 2 trip in the "
        "drafts. I did not touch anything.",
        school=schools.get("roselands"),
    )

    # 9.1: a report about the head teacher goes to the governors; no head teacher sees it.
    services.breach_report_submit(
        organisation=organisation,
        reporter_name="A parent (fictional)",
        reporter_relationship="parent",
        clause_number="6.4",
        about_head_teacher=True,
        what_happened=DEMO + "The head teacher has been messaging a parent on a personal "
        "account about a complaint the parent made to the school.",
    )

    # A case at the investigation stage, with evidence.
    report = services.breach_report_submit(
        organisation=organisation,
        reporter_name=people["itlead"].get_full_name(),
        reporter_email=people["itlead"].email,
        reporter_relationship="staff",
        clause_number="6.13",
        when="Most afternoons over the last two weeks",
        what_happened=DEMO + "The web filter shows long personal social media sessions from "
        "the Roselands staff laptop during contracted hours.",
        school=schools.get("roselands"),
        reporter=people["itlead"],
    )
    investigating = services.breach_report_triage(
        report=report,
        by=head,
        staff_member=people["ta"],
        clauses=["6.13"],
        summary=DEMO + "Personal use of social media during contracted hours.",
    )
    services.case_evidence_add(
        case=investigating,
        by=head,
        source_type="upload",
        description="Filter log extract for the two weeks (demo file).",
        upload=SimpleUploadedFile(
            "filter-extract.txt", b"Demo: 14:02-14:47 instagram.com ...\n", "text/plain"
        ),
    )
    services.case_note_add(
        case=investigating,
        by=head,
        body=DEMO + "Meeting with Ben arranged for Monday, with his union representative.",
    )

    # A case with an outcome and an appeal waiting for the chair of governors.
    decided = services.case_open(
        organisation=organisation,
        by=head,
        staff_member=people["teacher"],
        clauses=["6.2", "6.6"],
        summary=DEMO + "Accepted 'friend' requests from two Year 6 pupils on a personal account.",
        school=schools.get("stafford"),
    )
    services.case_stage_move(case=decided, by=head, to="hearing", note="Hearing held on Friday.")
    services.case_outcome_record(
        case=decided,
        by=head,
        outcome="warning",
        reason=DEMO + "The requests were accepted and messages exchanged; first occurrence. "
        "A written warning, and the requests to be declined and reported (6.6).",
    )
    services.case_appeal_file(
        case=decided,
        by=head,
        text=DEMO + "James says the pupils were his nephews' friends and he declined them "
        "the next day; he asks for advice instead of a warning.",
    )

    # A media enquiry against the clock.
    site = Site.objects.filter(organisation=organisation, name="Year 4 Learning Blog").first()
    media.media_enquiry_log(
        by=people["teacher2"],
        enquirer_name="Sam Porter",
        outlet="Eastbourne Evening Herald (fictional)",
        contact="01632 960999",
        about=DEMO + "Asked about the volcano photos on the class blog and whether pupils "
        "can be identified.",
        deadline=timezone.now() + timedelta(hours=5),
        site=site,
    )
