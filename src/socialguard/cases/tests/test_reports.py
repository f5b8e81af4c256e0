"""The public breach report (9.1, 9.4): anyone, without an account, gets a reference code."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from socialguard.audit.models import AuditEvent
from socialguard.cases.models import BreachReport
from socialguard.cases.tests.factories import WHAT, report

pytestmark = pytest.mark.django_db
CODE = re.compile(r"^BR-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")


def _form(**overrides: str) -> dict[str, str]:
    return {
        "reporter_name": "Dave Mills",
        "reporter_email": "dave@contractor.example",
        "reporter_relationship": "contractor",
        "what_happened": WHAT,
        "when": "Tuesday",
        "person_concerned_name": "A teaching assistant",
        "clause_number": "6.9",
        "school": "",
        "website": "",
        **overrides,
    }


def test_an_anonymous_visitor_is_not_shown_which_organisations_use_the_deployment(cast):
    page = Client().get(reverse("cases:report_breach"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "link that your school publishes" in body
    for organisation in ("rs", "downs"):
        assert reverse("cases:report_breach_for", args=[organisation]) not in body
    assert "Downs Valley Trust" not in body and "Roselands" not in body
    # The school's own link opens its form, and a signed-in person gets theirs straight away.
    own = Client().get(reverse("cases:report_breach_for", args=["rs"])).content.decode()
    assert "Roselands &amp; Stafford Federation" in own and "Downs Valley Trust" not in own
    client = Client()
    client.force_login(cast.teacher)
    assert (
        "Contractors must tell the school"
        in client.get(reverse("cases:report_breach")).content.decode()
    )


def test_one_address_cannot_flood_the_head_with_reports(cast, django_capture_on_commit_callbacks):
    client = Client()
    url = reverse("cases:report_breach_for", args=["rs"])
    mail.outbox.clear()
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(12):
            statuses.append(client.post(url, _form()).status_code)
    assert statuses == [302] * 5 + [429] * 7
    assert BreachReport.objects.count() == 5
    refused = client.post(url, _form())
    assert "Several reports have been sent from here" in refused.content.decode()
    assert WHAT in refused.content.decode()  # nothing typed is lost
    # Another address is not held back by the first.
    other = Client(REMOTE_ADDR="203.0.113.9").post(url, _form())
    assert other.status_code == 302


def test_a_contractor_without_an_account_reports_and_gets_a_code(
    cast, django_capture_on_commit_callbacks
):
    client = Client()
    url = reverse("cases:report_breach_for", args=["rs"])
    assert "Contractors must tell the school" in client.get(url).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form())
    assert response.status_code == 302 and response["Location"] == reverse("cases:report_sent")

    saved = BreachReport.objects.get()
    assert CODE.match(saved.reference)
    assert saved.organisation == cast.organisation and saved.reporter is None
    assert saved.status == BreachReport.Status.NEW and saved.clause_number == "6.9"
    sent = client.get(reverse("cases:report_sent")).content.decode()
    assert saved.reference in sent
    # The code is shown once and never put in a URL.
    assert client.get(reverse("cases:report_sent")).status_code == 302
    assert saved.reference not in response["Location"]

    receipt = next(m for m in mail.outbox if m.to == ["dave@contractor.example"])
    assert saved.reference in receipt.body and saved.reference in receipt.subject
    to_head = next(m for m in mail.outbox if cast.head.email in m.to)
    assert reverse("cases:report", args=[saved.pk]) in to_head.body
    assert "Instagram" not in to_head.body  # the content stays behind sign-in
    assert len(mail.outbox) == 2


def test_without_an_email_address_only_the_head_is_told(cast, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("cases:report_breach_for", args=["rs"]), _form(reporter_email=""))
    assert [m.to for m in mail.outbox] == [[cast.head.email]]


def test_the_honeypot_catches_a_bot(cast):
    response = Client().post(
        reverse("cases:report_breach_for", args=["rs"]), _form(website="http://spam.example")
    )
    assert response.status_code == 200
    assert "Leave this field empty." in response.content.decode()
    assert not BreachReport.objects.exists()


def test_missing_answers_are_explained_and_nothing_is_saved(cast):
    response = Client().post(
        reverse("cases:report_breach_for", args=["rs"]),
        _form(reporter_name="", what_happened="", reporter_relationship=""),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the 3 problems below." in page
    assert page.count("This field is required.") == 3
    assert not BreachReport.objects.exists()


def test_a_clause_must_belong_to_the_policy(cast):
    response = Client().post(
        reverse("cases:report_breach_for", args=["rs"]), _form(clause_number="99.9")
    )
    assert response.status_code == 200 and not BreachReport.objects.exists()


def test_a_signed_in_reporter_is_recorded(cast):
    client = Client()
    client.force_login(cast.it_lead)
    client.post(reverse("cases:report_breach"), _form(reporter_relationship="staff"))
    assert BreachReport.objects.get().reporter == cast.it_lead


def test_codes_are_random_not_sequential(cast):
    codes = {report(cast).reference for _ in range(5)}
    assert len(codes) == 5 and all(CODE.match(c) for c in codes)


def test_the_audit_event_records_the_fact_not_the_account(cast):
    saved = report(cast)
    event = AuditEvent.objects.get(action="cases.report.submit")
    assert event.target_repr == saved.reference and "9.4" in event.clauses
    assert "Instagram" not in str(event.details) and "Dave" not in str(event.details)
