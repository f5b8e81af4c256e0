"""Who sees what (role x record x action), decided on the server. Breach cases go to the head
teacher and whom they name, never to the staff member concerned, to moderators or to the
safeguarding leads; media enquiries to the head teacher and the person who logged them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from socialguard.cases import selectors
from socialguard.cases.models import CaseEntry
from socialguard.cases.permissions import handler_for
from socialguard.cases.tests.factories import case, enquiry, named, report
from socialguard.community.tests.factories import live_site

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "head",
    "named",  # the deputy DSL, named by the head: a handler
    "concerned",  # the teacher the case is about, named by the head too
    "comms",  # a moderator of the live site
    "dsl",
    "line_manager",
    "contractor",
    "governor",
    "it_lead",
    "admin",
    "parent",
    "pupil",
    "outsider",  # head teacher of another organisation
]
HANDLERS = {"head", "named"}


@pytest.fixture
def world(cast):
    live_site(cast)  # comms moderates it
    named(cast, cast.deputy_dsl)
    named(cast, cast.teacher)
    found = case(cast, about=cast.teacher)
    waiting = report(cast)
    logged = enquiry(cast, by=cast.line_manager)
    return {"case": found, "report": waiting, "enquiry": logged}


def _person(cast, role):
    return {"named": cast.deputy_dsl, "concerned": cast.teacher}.get(role) or getattr(cast, role)


def _client(cast, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(_person(cast, role))
    return client


def _expect(response, role: str, allowed: bool, *, foreign: bool = False) -> None:
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    elif allowed:
        assert response.status_code in (200, 302), role
    elif foreign and role == "outsider":
        assert response.status_code == 404, role
    else:
        assert response.status_code == 403, role


@pytest.mark.parametrize("role", ROLES)
def test_case_pages(cast, world, role):
    client = _client(cast, role)
    found, waiting = world["case"], world["report"]
    can_handle = role in HANDLERS | {"concerned", "outsider"}  # outsider: their own inbox
    _expect(client.get(reverse("cases:inbox")), role, can_handle)
    # A new report names nobody yet, so every handler sees it; the report behind a case is
    # hidden from the person the case is about (below).
    report_page = client.get(reverse("cases:report", args=[waiting.pk]))
    _expect(report_page, role, role in HANDLERS | {"concerned"}, foreign=True)
    _expect(
        client.get(reverse("cases:case", args=[found.pk])), role, role in HANDLERS, foreign=True
    )
    note = client.post(
        reverse("cases:case_act", args=[found.pk]), {"action": "add_note", "body": "Seen."}
    )
    _expect(note, role, role in HANDLERS, foreign=True)
    expected_notes = 1 if role in HANDLERS else 0
    assert CaseEntry.objects.filter(case=found, kind="note").count() == expected_notes
    _expect(client.get(reverse("cases:access")), role, role in {"head", "outsider"})


@pytest.mark.parametrize("role", ROLES)
def test_media_pages(cast, world, role):
    client = _client(cast, role)
    logged = world["enquiry"]
    staff = {"head", "named", "concerned", "comms", "dsl", "line_manager", "contractor"}
    staff |= {"governor", "it_lead", "admin", "outsider"}
    _expect(client.get(reverse("cases:media_new")), role, role in staff)
    _expect(client.get(reverse("cases:media_list")), role, role in {"head", "outsider"})
    _expect(
        client.get(reverse("cases:media_detail", args=[logged.pk])),
        role,
        role in {"head", "line_manager"},
        foreign=True,
    )


def test_the_staff_member_concerned_never_sees_their_case_even_when_named(cast, world):
    found = world["case"]
    teacher = handler_for(cast.teacher)
    assert teacher.handles_cases
    assert found not in selectors.cases_for(handler=teacher, open_only=False)
    client = _client(cast, "concerned")
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert found.reference not in inbox
    assert found.report.reference not in inbox
    assert client.get(reverse("cases:report", args=[found.report.pk])).status_code == 403
    assert found in selectors.cases_for(handler=handler_for(cast.deputy_dsl))


def test_a_revoked_person_loses_access(cast, world):
    from socialguard.cases.models import CaseAccess
    from socialguard.cases.services import case_access_revoke

    grant = CaseAccess.objects.get(user=cast.deputy_dsl, revoked_at__isnull=True)
    case_access_revoke(access=grant, by=cast.head)
    response = _client(cast, "named").get(reverse("cases:case", args=[world["case"].pk]))
    assert response.status_code == 403


def test_the_logger_sees_only_their_own_enquiries(cast, world):
    mine = enquiry(cast, by=cast.teacher)
    teacher = _person(cast, "concerned")
    assert list(selectors.media_enquiries_for(user=teacher)) == [mine]
    assert set(selectors.media_enquiries_for(user=cast.head)) == {mine, world["enquiry"]}


def test_navigation_links(cast, world):
    from socialguard.accounts.selectors import navigation_links_for

    def labels(person):
        return [label for label, _ in navigation_links_for(person)]

    assert {"Cases", "Media enquiries"} <= set(labels(cast.head))
    assert "Cases" in labels(cast.deputy_dsl) and "Media enquiry" in labels(cast.deputy_dsl)
    assert "Cases" not in labels(cast.dsl) and "Cases" not in labels(cast.comms)
    assert "Media enquiry" not in labels(cast.parent) and "Media enquiry" not in labels(cast.pupil)


def test_the_public_form_is_linked_from_every_page(cast):
    page = Client().get(reverse("accounts:login")).content.decode()
    assert reverse("cases:report_breach") in page
