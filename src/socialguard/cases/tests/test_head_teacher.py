"""A report or case about the head teacher goes to the governors (9.1, 9.2): in English schools
an allegation about the head is for the chair of governors. No head teacher sees it (a
federation has several), nor the person it is about, nor anyone a head named as a case handler
(a head must not choose who judges the head); a governor who is not named sees these matters
and nothing else."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socialguard.accounts.models import RoleAssignment
from socialguard.accounts.selectors import navigation_links_for
from socialguard.audit.models import AuditEvent
from socialguard.cases import selectors, services
from socialguard.cases.models import BreachCase, BreachReport, CaseEntry, Stage
from socialguard.cases.permissions import case_actions_for, handler_for, report_actions_for
from socialguard.cases.tests.factories import WHAT, case, named, report
from socialguard.cases.tests.test_visibility import ROLES
from socialguard.core.dashboard import dashboard_cards_for
from socialguard.core.errors import ApplicationError, ErrorCode
from socialguard.core.tests.factories import person_with_roles

pytestmark = pytest.mark.django_db


def flagged(cast, **kwargs) -> BreachReport:  # type: ignore[no-untyped-def]
    return report(cast, about_head_teacher=True, **kwargs)


def about_the_head(cast, *, by=None) -> BreachCase:  # type: ignore[no-untyped-def]
    """A flagged report triaged by a governor into a case about the head teacher."""
    return services.breach_report_triage(
        report=flagged(cast),
        by=by or cast.governor,
        staff_member=cast.head,
        clauses=["6.9"],
        summary="Pupils' photos on the head's personal account.",
    )


def second_head(cast):  # type: ignore[no-untyped-def]
    """The federation's other head teacher (the infant school's)."""
    return person_with_roles(
        "head_teacher", organisation=cast.organisation, school=cast.infant, username="head2"
    )


def second_governor(cast):  # type: ignore[no-untyped-def]
    return person_with_roles("governor", organisation=cast.organisation, username="governor2")


def _client(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person)
    return client


def _inbox(person) -> str:  # type: ignore[no-untyped-def]
    response = _client(person).get(reverse("cases:inbox"))
    assert response.status_code == 200
    return response.content.decode()


def _breach_card(person):  # type: ignore[no-untyped-def]
    return [c for c in dashboard_cards_for(person) if "breach report" in c.title]


def _form(**overrides: str) -> dict[str, str]:
    return {
        "reporter_name": "Dave Mills",
        "reporter_email": "dave@contractor.example",
        "reporter_relationship": "contractor",
        "what_happened": WHAT,
        "when": "",
        "person_concerned_name": "The head teacher",
        "clause_number": "",
        "school": "",
        "website": "",
        **overrides,
    }


# --- Reporting ---------------------------------------------------------------------------


def test_the_public_form_offers_the_choice_and_says_where_it_goes(cast):
    page = Client().get(reverse("cases:report_breach_for", args=["rs"])).content.decode()
    assert 'name="about_head_teacher"' in page
    assert "It is about the head teacher" in page
    assert "goes to the governors, not to the head teacher" in page


def test_a_report_about_the_head_goes_to_the_governors_not_the_head(
    cast, django_capture_on_commit_callbacks
):
    # Given a contractor who ticks "It is about the head teacher"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            reverse("cases:report_breach_for", args=["rs"]), _form(about_head_teacher="on")
        )
    assert response.status_code == 302
    saved = BreachReport.objects.get()
    assert saved.about_head_teacher

    # Then the governor is told, with a link and not the content; no head teacher is told
    told = [m for m in mail.outbox if m.to != ["dave@contractor.example"]]
    assert [m.to for m in told] == [[cast.governor.email]]
    assert reverse("cases:report", args=[saved.pk]) in told[0].body
    assert "Instagram" not in told[0].body
    receipt = next(m for m in mail.outbox if m.to == ["dave@contractor.example"])
    assert "goes to the governors" in receipt.body

    # And the head cannot find it: not in the inbox, not on the dashboard, refused its page
    assert saved.reference not in _inbox(cast.head)
    [card] = _breach_card(cast.head)
    assert card.title == "0 breach reports to triage"
    assert _client(cast.head).get(reverse("cases:report", args=[saved.pk])).status_code == 403
    assert report_actions_for(saved, handler_for(cast.head)) == []

    # While the governor finds it in all three places
    assert saved.reference in _inbox(cast.governor)
    [card] = _breach_card(cast.governor)
    assert card.title == "1 breach report to triage"
    page = _client(cast.governor).get(reverse("cases:report", args=[saved.pk]))
    assert page.status_code == 200 and "Instagram" in page.content.decode()


def test_the_audit_event_records_the_flag_and_no_content(cast):
    flagged(cast)
    event = AuditEvent.objects.get(action="cases.report.submit")
    assert event.details["about_head_teacher"] is True
    assert "Instagram" not in str(event.details) and "Dave" not in str(event.details)
    report(cast)
    latest = AuditEvent.objects.filter(action="cases.report.submit").order_by("-pk").first()
    assert latest is not None and latest.details["about_head_teacher"] is False


def test_with_no_governor_the_administrators_are_told_and_nothing_else(
    cast, django_capture_on_commit_callbacks
):
    # Given an organisation whose only governor stepped down today
    RoleAssignment.objects.filter(user=cast.governor, role="governor").update(ends_on=date.today())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        saved = flagged(cast, reporter_email="")
    # Then the report is kept, and the administrator is told one waits, without its content
    assert BreachReport.objects.filter(pk=saved.pk, about_head_teacher=True).exists()
    [sent] = mail.outbox
    assert sent.to == [cast.admin.email]
    assert "no governor is set up" in sent.subject
    assert "Instagram" not in sent.body and "Dave" not in sent.body
    assert reverse("cases:report", args=[saved.pk]) not in sent.body
    # And the former governor no longer sees it
    assert not handler_for(cast.governor).handles_any


def test_people_a_head_named_are_not_told_about_the_head(cast, django_capture_on_commit_callbacks):
    named(cast, cast.deputy_dsl)
    named(cast, second_head(cast))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        flagged(cast, reporter_email="")
    assert [m.to for m in mail.outbox] == [[cast.governor.email]]


def test_an_ordinary_report_still_goes_to_the_head_only(cast, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report(cast, reporter_email="")
    assert [m.to for m in mail.outbox] == [[cast.head.email]]


# --- Triage and the case -----------------------------------------------------------------


def test_the_governor_triages_it_into_a_case_the_head_cannot_see(cast):
    waiting = flagged(cast)
    governor = _client(cast.governor)
    # When the governor opens a case about the head from the report
    response = governor.post(
        reverse("cases:report", args=[waiting.pk]),
        {
            "action": "open_case",
            "staff_member": cast.head.pk,
            "clauses": ["6.9"],
            "summary": "Photos on the head's personal account.",
        },
    )
    opened = BreachCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:case", args=[opened.pk]
    )
    assert opened.staff_member == cast.head and opened.opened_by == cast.governor

    # Then no head teacher sees the case or the report behind it
    for head in (cast.head, second_head(cast)):
        client = _client(head)
        assert client.get(reverse("cases:case", args=[opened.pk])).status_code == 403
        assert client.get(reverse("cases:report", args=[waiting.pk])).status_code == 403
        inbox = _inbox(head)
        assert opened.reference not in inbox and waiting.reference not in inbox
        assert not selectors.cases_for(handler=handler_for(head), open_only=False).exists()
        assert selectors.reports_triaged(handler=handler_for(head)) == []

    # And the governor works it: a hearing, then the outcome
    assert governor.get(reverse("cases:case", args=[opened.pk])).status_code == 200
    assert opened.reference in _inbox(cast.governor)
    act = reverse("cases:case_act", args=[opened.pk])
    governor.post(act, {"action": "move_to_hearing", "note": ""})
    governor.post(act, {"action": "record_outcome", "outcome": "warning", "reason": "Proven."})
    opened.refresh_from_db()
    assert opened.stage == Stage.OUTCOME and opened.outcome_decided_by == cast.governor


def test_a_head_cannot_act_on_a_case_about_a_head_even_through_the_services(cast):
    opened = about_the_head(cast)
    other = second_head(cast)
    named(cast, other)  # named as well: still a head teacher
    assert case_actions_for(opened, handler_for(other)) == []
    with pytest.raises(ApplicationError) as error:
        services.case_note_add(case=opened, by=other, body="Seen.")
    assert error.value.code == ErrorCode.FORBIDDEN
    response = _client(other).post(
        reverse("cases:case_act", args=[opened.pk]), {"action": "add_note", "body": "Seen."}
    )
    assert response.status_code == 403
    assert not CaseEntry.objects.filter(case=opened, kind="note").exists()


def test_the_appeal_is_decided_by_another_governor(cast):
    # Given a case about the head whose outcome the governor decided
    opened = about_the_head(cast)
    services.case_outcome_record(case=opened, by=cast.governor, outcome="advice", reason="Minor.")
    services.case_appeal_file(case=opened, by=cast.governor, text="The head appeals.")
    # Then the governor who decided the outcome cannot decide the appeal, nor can a head
    with pytest.raises(ApplicationError, match="someone else must decide"):
        services.case_appeal_decide(
            case=opened, by=cast.governor, decision="upheld", reason="Still right."
        )
    with pytest.raises(ApplicationError) as error:
        services.case_appeal_decide(
            case=opened, by=second_head(cast), decision="overturned", reason="No."
        )
    assert error.value.code == ErrorCode.FORBIDDEN
    # Nor someone the head named
    named(cast, cast.deputy_dsl)
    with pytest.raises(ApplicationError) as error:
        services.case_appeal_decide(
            case=opened, by=cast.deputy_dsl, decision="overturned", reason="No."
        )
    assert error.value.code == ErrorCode.FORBIDDEN
    # But another governor can
    other = second_governor(cast)
    appeal = services.case_appeal_decide(
        case=opened, by=other, decision="upheld", reason="Fair outcome."
    )
    opened.refresh_from_db()
    assert appeal.decided_by == other and opened.stage == Stage.CLOSED


def test_a_case_about_a_head_from_an_unflagged_report_is_hidden_from_the_heads(cast):
    # Given an ordinary report, triaged by the other head teacher into a case about the head
    other = second_head(cast)
    waiting = report(cast)
    response = _client(other).post(
        reverse("cases:report", args=[waiting.pk]),
        {
            "action": "open_case",
            "staff_member": cast.head.pk,
            "clauses": ["6.9"],
            "summary": "Photos on the head's personal account.",
        },
        follow=True,
    )
    opened = BreachCase.objects.get()
    assert opened.staff_member == cast.head and not waiting.about_head_teacher
    # Then the head who opened it is sent back to the inbox: it is the governors' now
    assert "the governors handle it" in response.content.decode()
    for head in (other, cast.head):
        client = _client(head)
        assert client.get(reverse("cases:case", args=[opened.pk])).status_code == 403
        assert client.get(reverse("cases:report", args=[waiting.pk])).status_code == 403
        assert opened.reference not in _inbox(head)
    # And the governor, who is not named, now sees the case and the report behind it
    assert opened.reference in _inbox(cast.governor)
    assert _client(cast.governor).get(reverse("cases:case", args=[opened.pk])).status_code == 200
    assert _client(cast.governor).get(reverse("cases:report", args=[waiting.pk])).status_code == 200


def test_the_rule_follows_the_staff_members_current_role(cast):
    # Given an ordinary case about a teacher, which the head handles
    found = case(cast, about=cast.teacher)
    head = handler_for(cast.head)
    assert found in selectors.cases_for(handler=head)
    # When the teacher becomes a head teacher, the case leaves every head: list and page agree
    role = RoleAssignment.objects.create(
        user=cast.teacher, organisation=cast.organisation, role="head_teacher"
    )
    assert found not in selectors.cases_for(handler=handler_for(cast.head))
    assert _client(cast.head).get(reverse("cases:case", args=[found.pk])).status_code == 403
    assert found in selectors.cases_for(handler=handler_for(cast.governor))
    # And when that role has ended (today), it comes back
    role.starts_on = date.today() - timedelta(days=30)
    role.ends_on = date.today()
    role.save()
    assert found in selectors.cases_for(handler=handler_for(cast.head))
    assert _client(cast.head).get(reverse("cases:case", args=[found.pk])).status_code == 200


def test_a_governor_opens_a_case_only_about_a_head_teacher(cast):
    opened = services.case_open(
        organisation=cast.organisation,
        by=cast.governor,
        staff_member=cast.head,
        clauses=["6.9"],
        summary="Learned of it directly.",
    )
    assert opened in selectors.cases_for(handler=handler_for(cast.governor))
    with pytest.raises(ApplicationError) as error:
        services.case_open(
            organisation=cast.organisation,
            by=cast.governor,
            staff_member=cast.teacher,
            clauses=["6.9"],
            summary="Not the governors' to open.",
        )
    assert error.value.code == ErrorCode.FORBIDDEN


# --- Who sees what -----------------------------------------------------------------------


def test_a_governor_who_is_not_named_sees_only_matters_about_the_head(cast):
    # Given an ordinary report and case, and nothing about the head
    ordinary_case = case(cast)
    ordinary_report = report(cast)
    governor = _client(cast.governor)
    labels = [label for label, _ in navigation_links_for(cast.governor)]
    assert "Cases" not in labels and not _breach_card(cast.governor)
    assert governor.get(reverse("cases:inbox")).status_code == 403
    assert governor.get(reverse("cases:report", args=[ordinary_report.pk])).status_code == 403
    assert governor.get(reverse("cases:case", args=[ordinary_case.pk])).status_code == 403

    # When a report about the head arrives, the governor gets the inbox, listing only that
    waiting = flagged(cast)
    labels = [label for label, _ in navigation_links_for(cast.governor)]
    assert "Cases" in labels
    inbox = _inbox(cast.governor)
    assert waiting.reference in inbox
    assert ordinary_report.reference not in inbox and ordinary_case.reference not in inbox
    assert ordinary_case.report.reference not in inbox
    handler = handler_for(cast.governor)
    assert list(selectors.reports_to_triage(handler=handler)) == [waiting]
    assert not selectors.cases_for(handler=handler).exists()
    assert governor.get(reverse("cases:report", args=[ordinary_report.pk])).status_code == 403
    assert governor.get(reverse("cases:case", args=[ordinary_case.pk])).status_code == 403


def test_a_named_handler_sees_ordinary_matters_only(cast):
    named(cast, cast.deputy_dsl)
    ordinary, _waiting, _opened = report(cast), flagged(cast), about_the_head(cast)
    handler = handler_for(cast.deputy_dsl)
    assert list(selectors.reports_to_triage(handler=handler)) == [ordinary]
    assert not selectors.cases_for(handler=handler).exists()
    assert selectors.handler_counts(handler=handler) == (1, 0)
    # The head, likewise, has the ordinary report only
    head = handler_for(cast.head)
    assert list(selectors.reports_to_triage(handler=head)) == [ordinary]
    assert selectors.handler_counts(handler=head) == (1, 0)


# The visibility matrix of test_visibility.py for matters about the head teacher.
HEAD_MATTER_HANDLERS = {"governor"}


@pytest.fixture
def head_world(cast):  # type: ignore[no-untyped-def]
    named(cast, cast.deputy_dsl)
    named(cast, cast.teacher)
    return {"case": about_the_head(cast), "report": flagged(cast)}


def _person(cast, role):  # type: ignore[no-untyped-def]
    return {"named": cast.deputy_dsl, "concerned": cast.teacher}.get(role) or getattr(cast, role)


@pytest.mark.parametrize("role", ROLES)
def test_head_matter_pages(cast, head_world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(_person(cast, role))
    found, waiting = head_world["case"], head_world["report"]
    pages = {
        "report": client.get(reverse("cases:report", args=[waiting.pk])),
        "case": client.get(reverse("cases:case", args=[found.pk])),
        "note": client.post(
            reverse("cases:case_act", args=[found.pk]), {"action": "add_note", "body": "Seen."}
        ),
    }
    # "named" and "concerned" were named by the head: not for a matter about the head.
    allowed = role in HEAD_MATTER_HANDLERS
    for name, response in pages.items():
        if role == "anonymous":
            expected_status = 302
        elif role == "outsider":
            expected_status = 404
        elif not allowed:
            expected_status = 403
        else:
            expected_status = 302 if name == "note" else 200
        assert response.status_code == expected_status, (name, role)
    expected = 1 if allowed else 0
    assert CaseEntry.objects.filter(case=found, kind="note").count() == expected


# --- Lists stay free of per-row queries --------------------------------------------------


def _inbox_queries(person) -> int:  # type: ignore[no-untyped-def]
    client = _client(person)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cases:inbox")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["head", "governor", "named"])
def test_the_inbox_costs_the_same_however_many_matters(cast, who):
    named(cast, cast.deputy_dsl)
    person = _person(cast, who)

    def add_some() -> None:
        report(cast)
        flagged(cast)
        case(cast)
        about_the_head(cast)
        closed = about_the_head(cast)
        services.case_outcome_record(case=closed, by=cast.governor, outcome="no_action", reason=".")
        services.case_close(case=closed, by=cast.governor)

    add_some()
    few = _inbox_queries(person)
    for _ in range(3):
        add_some()
    assert _inbox_queries(person) == few


def test_the_governors_are_told_when_a_head_opens_a_case_about_a_head(
    cast, django_capture_on_commit_callbacks
):
    other = second_head(cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        opened = services.case_open(
            organisation=cast.organisation,
            by=cast.head,
            staff_member=other,
            clauses=["6.9"],
            summary="Photos on the other head's personal account.",
        )
    (message,) = [m for m in mail.outbox if "yours" in m.subject]
    assert message.to == [cast.governor.email]
    assert opened.reference in message.body and "Photos" not in message.body
    # An ordinary case tells nobody extra.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_open(
            organisation=cast.organisation,
            by=cast.head,
            staff_member=cast.teacher,
            clauses=["6.9"],
            summary="Photos on a teacher's personal account.",
        )
    assert not [m for m in mail.outbox if "yours" in m.subject]
