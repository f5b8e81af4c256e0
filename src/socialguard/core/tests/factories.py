"""Factories for tests across apps (factory_boy)."""

from __future__ import annotations

from typing import Any

import factory
from django.db import transaction
from django.utils import timezone
from faker.providers import BaseProvider

from socialguard.accounts.models import Organisation, RoleAssignment, School, User

PASSWORD = "correct-horse-battery"


class _PlainNames(BaseProvider):
    """Faker's British names without apostrophes ("O'Neill" -> "ONeill"): a page escapes one
    (&#x27;), so a test's "the name is (not) on the page" would compare against another string
    and a "not in" would pass whatever the page showed."""

    def plain_first_name(self) -> str:
        return str(self.generator.first_name()).replace("'", "")

    def plain_last_name(self) -> str:
        return str(self.generator.last_name()).replace("'", "")


factory.Faker.add_provider(_PlainNames, locale="en_GB")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Federation {n}")
    slug = factory.Sequence(lambda n: f"federation-{n}")
    email_domains = factory.LazyAttribute(lambda o: [f"{o.slug}.example.sch.uk"])


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("plain_first_name", locale="en_GB")
    last_name = factory.Faker("plain_last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.sch.uk")
    position = "Teacher"

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


def person_with_roles(
    *roles: str, organisation: Organisation, school: School | None = None, **fields: Any
) -> User:
    """A person holding the given roles, made through the model (no audit noise in tests)."""
    with transaction.atomic():
        person = UserFactory(organisation=organisation, school=school, **fields)
        for role in roles:
            RoleAssignment.objects.create(
                user=person,
                organisation=organisation,
                school=school,
                role=role,
                year_group="4" if role == "pupil" else "",
                # Leads in post: confirmed, so they open the whole record (issue 10).
                confirmed_at=timezone.now() if role in ("dsl", "deputy_dsl") else None,
            )
    return person
