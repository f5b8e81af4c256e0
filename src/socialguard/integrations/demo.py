"""The demo's roster import: a SIMS export of Stafford Junior's pupils, waiting as a dry run
(one joiner, one change) for the administrator to look at."""

from __future__ import annotations

from socialguard.accounts.models import Organisation, User
from socialguard.integrations.models import RosterImport

DEMO_FILE = "stafford-pupils-sims.csv"
SIMS_PUPILS = (
    "UPN,Legal Surname,Legal Forename,Preferred Surname,Preferred Forename,Year,Reg Group\n"
    "H801200001001,Bennett,Oliver,,Olly,Year 4,4B\n"
    "H801200001002,Clarke,Amelia,,,Year 4,4B\n"
    "H801200001003,Patel,Noah,,,Year 4,4P\n"
    "H801200001004,Hughes,Frederick,,Freddie,Year 3,3H\n"
)


def load_demo_roster_import(organisation: Organisation, people: dict[str, User]) -> None:
    from socialguard.integrations.services import roster_import_create

    if RosterImport.objects.filter(organisation=organisation, filename=DEMO_FILE).exists():
        return
    roster_import_create(
        organisation=organisation,
        kind="pupils",
        source="auto",
        data=SIMS_PUPILS.encode(),
        filename=DEMO_FILE,
        school=organisation.schools.filter(slug="stafford").first(),
        by=people["admin"],
    )
