"""Every CSV the product writes reaches a spreadsheet as text: no cell runs as a formula."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client

from socialguard.core.csv_safe import SafeDictWriter, SafeWriter, neutralise

EVIL = '=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (EVIL, "'" + EVIL),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        # Near misses: ordinary text and numbers pass through untouched.
        ("Year 4 = great", "Year 4 = great"),
        ("a-b", "a-b"),
        ("", ""),
        (None, None),
        (-3, -3),
        (2.5, 2.5),
        (Decimal("-1.5"), Decimal("-1.5")),
    ],
)
def test_neutralise_truth_table(cell: object, written: object) -> None:
    assert neutralise(cell) == written


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_writers_quote_formula_cells_and_keep_the_rest() -> None:
    buffer = io.StringIO()
    SafeWriter(buffer).writerows([["name", "count"], [EVIL, -2]])
    assert _cells(buffer.getvalue()) == [["name", "count"], ["'" + EVIL, "-2"]]
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=["name"])
    writer.writeheader()
    writer.writerow({"name": "@cmd"})
    assert _cells(buffer.getvalue()) == [["name"], ["'@cmd"]]


def _no_live_formula(text: str) -> None:
    for row in _cells(text):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.django_db
def test_audit_export_defuses_a_hostile_name(cast) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from socialguard.audit.services import audit_record

    with transaction.atomic():
        audit_record(actor=cast.head, action="test.site.rename", target_repr=EVIL)
    client = Client()
    client.force_login(cast.head)
    response = client.get("/audit/export/")
    text = b"".join(response.streaming_content).decode()
    assert "'" + EVIL in text.replace('""', '"')
    _no_live_formula(text)


@pytest.mark.django_db
def test_register_export_defuses_a_hostile_site_name(cast) -> None:  # type: ignore[no-untyped-def]
    from socialguard.sites.services import site_proposal_submit
    from socialguard.sites.tests.factories import proposal

    site_proposal_submit(site=proposal(cast, name=EVIL), by=cast.teacher)
    client = Client()
    client.force_login(cast.head)
    text = b"".join(client.get("/sites/?format=csv").streaming_content).decode()
    assert _cells(text)[1][0] == "'" + EVIL
    _no_live_formula(text)


@pytest.mark.django_db
def test_governors_report_defuses_a_hostile_school_name(cast) -> None:  # type: ignore[no-untyped-def]
    cast.infant.name = "-1+cmd|' /C calc'!A0"
    cast.infant.save(update_fields=["name"])
    from django.utils import timezone

    from socialguard.safeguarding.models import Concern

    Concern.objects.create(
        organisation=cast.organisation,
        school=cast.infant,
        reference="SG-T-1",
        reporter=cast.teacher,
        occurred_at=timezone.now(),
        account="An account of what was seen",
        categories=["disclosure_abuse"],
    )
    client = Client()
    client.force_login(cast.governor)
    response = client.get("/reports/?format=csv")
    assert response.status_code == 200
    text = response.content.decode()
    assert "'-1+cmd|' /C calc'!A0" in text
    _no_live_formula(text)
