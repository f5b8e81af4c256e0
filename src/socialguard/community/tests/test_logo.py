"""A school's crest is shown on its own organisation's site pages, and nowhere else."""

from __future__ import annotations

import pytest
from django.test import Client

from socialguard.core.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_a_crest_is_served_only_within_its_organisation(cast) -> None:  # type: ignore[no-untyped-def]
    other_school = SchoolFactory(organisation=cast.outsider.organisation, name="Downs Primary")
    client = Client()
    client.force_login(cast.teacher)
    own = client.get(f"/community/logos/{cast.infant.pk}.svg")
    assert own.status_code == 200 and own["Content-Type"].startswith("image/svg+xml")
    assert "public" not in own["Cache-Control"]
    assert client.get(f"/community/logos/{other_school.pk}.svg").status_code == 404
    outsider = Client()
    outsider.force_login(cast.outsider)
    assert outsider.get(f"/community/logos/{cast.infant.pk}.svg").status_code == 404
    assert outsider.get(f"/community/logos/{other_school.pk}.svg").status_code == 200
