"""The demo federation's organisation, schools and people (``core.demo`` describes them and
runs the apps' loaders after this)."""

from __future__ import annotations

from socialguard.accounts import services
from socialguard.accounts.models import Organisation, User
from socialguard.core.demo import DEMO_PASSWORD, PEOPLE


def demo_federation_build(
    *, slug: str, name: str, username_prefix: str
) -> tuple[Organisation, dict[str, User]]:
    """The organisation, its two schools and the fictional people of ``core.demo.PEOPLE``."""
    organisation = services.organisation_create(
        name=name,
        slug=slug,
        website="https://www.roselands-stafford.example",
        email_domains=["roselands-stafford.e-sussex.sch.uk"],
        official_phones=["01632 960000"],
        official_addresses=["Federation Office, 1 Example Road, Eastbourne BN21 0ZZ"],
        by=None,
    )
    schools = {
        "roselands": services.school_create(
            organisation=organisation,
            name="Roselands Infant School",
            slug="roselands",
            website="https://www.roselands-stafford.example/roselands",
            phone="01632 960001",
            address="2 Example Road, Eastbourne BN21 0ZY",
            by=None,
        ),
        "stafford": services.school_create(
            organisation=organisation,
            name="Stafford Junior School",
            slug="stafford",
            website="https://www.roselands-stafford.example/stafford",
            phone="01632 960002",
            address="3 Example Road, Eastbourne BN21 0ZX",
            by=None,
        ),
    }
    people: dict[str, User] = {}
    for spec in PEOPLE:
        person = services.person_create(
            organisation=organisation,
            username=username_prefix + spec.username,
            first_name=spec.first,
            last_name=spec.last,
            position=spec.position,
            email=f"{username_prefix}{spec.username}@roselands-stafford.e-sussex.sch.uk",
            school=schools[spec.school] if spec.school else None,
            line_manager=people[spec.manager] if spec.manager else None,
            password=DEMO_PASSWORD,
            by=None,
        )
        if spec.is_staff_user:
            person.is_staff = True
            person.save(update_fields=["is_staff"])
        for role in spec.roles:
            services.role_assign(
                user=person,
                role=role,
                year_group=spec.year_group if role == "pupil" else "",
                school=schools[spec.school] if spec.school else None,
                by=None,
            )
        people[spec.username] = person
    return organisation, people
