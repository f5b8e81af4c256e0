"""The organisation's referral list (A.5.6, issue 12.6): the standard agencies with CAMHS, health
and "other", local agencies the leads add, retired ones no longer offered, and referrals that read
as they did whatever the list becomes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.core.errors import ApplicationError
from socialguard.safeguarding import agencies, services
from socialguard.safeguarding.models import Referral

pytestmark = pytest.mark.django_db


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _codes(organisation) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.code for c in agencies.referral_agencies_of(organisation=organisation) if c.active]


def test_every_organisation_starts_with_the_standard_list_including_camhs_health_and_other(cast):
    names = [c.name for c in agencies.referral_agencies_of(organisation=cast.organisation)]
    assert names[0] == "Police" and any(n.startswith("CAMHS") for n in names)
    assert any(n.startswith("Health") for n in names) and any(n.startswith("Other") for n in names)


def test_a_lead_adds_a_local_agency_and_a_referral_names_it(cast, concern):
    added = agencies.referral_agency_add(
        organisation=cast.organisation, by=cast.deputy_dsl, name="  Northshire   MASH "
    )
    assert added.name == "Northshire MASH" and added.code == "own-northshire-mash"
    assert AuditEvent.objects.filter(action="safeguarding.agency.added").count() == 1
    # The other organisation's list does not change.
    assert added.code not in _codes(cast.outsider.organisation)

    referral = services.concern_referral_record(
        concern=concern, by=cast.dsl, agency=added.code, made_on=timezone.localdate()
    )
    assert referral.agency_name == "Northshire MASH"
    with pytest.raises(ApplicationError):  # the same name twice, in any case
        agencies.referral_agency_add(
            organisation=cast.organisation, by=cast.dsl, name="northshire mash"
        )


def test_a_retired_agency_is_no_longer_offered_but_its_referrals_keep_its_name(cast, concern):
    referral = services.concern_referral_record(
        concern=concern, by=cast.dsl, agency="early_help", made_on=timezone.localdate()
    )
    agencies.referral_agency_set_active(
        organisation=cast.organisation, by=cast.dsl, code="early_help", active=False
    )
    assert "early_help" not in _codes(cast.organisation)
    with pytest.raises(ApplicationError):
        services.concern_referral_record(
            concern=concern, by=cast.dsl, agency="early_help", made_on=timezone.localdate()
        )
    referral.refresh_from_db()
    assert referral.agency_name == "Early Help"
    page = _as(cast.dsl).get(reverse("safeguarding:concern", args=[concern.pk]))
    assert "Early Help" in page.content.decode()
    assert 'value="early_help"' not in page.content.decode()  # not in the referral form

    agencies.referral_agency_set_active(
        organisation=cast.organisation, by=cast.dsl, code="early_help", active=True
    )
    assert "early_help" in _codes(cast.organisation)


def test_the_last_active_agency_cannot_be_retired(cast):
    codes = _codes(cast.organisation)
    for code in codes[:-1]:
        agencies.referral_agency_set_active(
            organisation=cast.organisation, by=cast.dsl, code=code, active=False
        )
    with pytest.raises(ApplicationError):
        agencies.referral_agency_set_active(
            organisation=cast.organisation, by=cast.dsl, code=codes[-1], active=False
        )


def test_only_the_leads_keep_the_list(cast):
    for person in (cast.teacher, cast.head, cast.admin):
        with pytest.raises(ApplicationError):
            agencies.referral_agency_add(organisation=cast.organisation, by=person, name="Kooth")
        assert _as(person).get(reverse("safeguarding:agencies")).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="safeguarding.agency").exists()


def test_the_page_adds_retires_and_refuses_bad_input_with_400(cast, concern):
    client = _as(cast.dsl)
    url = reverse("safeguarding:agencies")
    page = client.get(url)
    assert page.status_code == 200 and "CAMHS" in page.content.decode()

    response = client.post(url, {"intent": "add", "name": "Kooth"})
    assert response.status_code == 302
    assert "own-kooth" in _codes(cast.organisation)
    assert client.post(url, {"intent": "add", "name": ""}).status_code == 400
    assert client.post(url, {"intent": "add", "name": "x" * 500}).status_code == 400
    assert client.post(url, {"intent": "retire", "code": "nonsense"}).status_code == 400
    assert client.post(url, {"intent": "weird"}).status_code == 400
    assert client.post(url, {"intent": "retire", "code": "own-kooth"}).status_code == 302
    assert "own-kooth" not in _codes(cast.organisation)

    # The concern page's referral form offers what the list offers.
    html = client.get(reverse("safeguarding:concern", args=[concern.pk])).content.decode()
    assert 'value="camhs"' in html and 'value="own-kooth"' not in html
    assert not Referral.objects.exists()
