"""The policy's pages: upload, draft preview, correction, publishing, versions, the diff,
re-acknowledgement and reminders; who may open them; bad input answers 400 (issue 13)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.policy.models import AcknowledgementReminder, PolicyVersion

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Social Media Policy")
    table = document.add_table(rows=2, cols=4)
    header = ["Version", "Date Approved", "Approved By", "Next review Date"]
    values = ["2", "September 2025", "FGB", "September 2027"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, values, strict=True):
        cell.text = text
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


DOCX = [
    "1 INTRODUCTION",
    "1.1 Staff must keep personal and professional lives separate.",
    "1.3 Staff should think before they post.",
    "2 SCOPE",
    "2.1 This policy applies to all staff members.",
]


def _upload(client: Client, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return client.post("/policy/upload/", {"document": SimpleUploadedFile(name, data)})


def test_the_head_uploads_corrects_and_publishes(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    head = _client(cast.head)
    response = _upload(head, "ours.docx", _docx(DOCX))
    draft = PolicyVersion.objects.get(status="draft")
    assert response.status_code == 302 and response["Location"] == f"/policy/drafts/{draft.pk}/"
    page = head.get(response["Location"]).content.decode()
    assert "draft of version 2" in page and "September 2025" in page
    assert "Line 6" in page and "1.2 is missing from the numbering" in page  # the gap
    assert "Correct clause 1.3" in page
    assert 'value="FGB"' in page  # approved by, offered from the header

    response = head.post(
        f"/policy/drafts/{draft.pk}/clauses/1.3/",
        {"text": "Staff must think before they post.", "obligation": "must"},
    )
    assert response.status_code == 302
    assert draft.clauses.get(number="1.3").obligation == "must"

    today = timezone.localdate()
    response = head.post(
        f"/policy/drafts/{draft.pk}/publish/",
        {
            "label": "2",
            "approved_on": (today - timedelta(days=2)).isoformat(),
            "approved_by": "FGB",
            "next_review_on": (today + timedelta(days=730)).isoformat(),
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_current and draft.approved_by == "FGB"
    old = head.get(f"/policy/versions/{policy_version.pk}/").content.decode()
    assert "An earlier version." in old and "A.5.6" in old


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("ours.pdf", b"%PDF-1.7 ...", "PDF files cannot be read reliably"),
        ("ours.docx", b"PK\x03\x04 broken", "not a readable .docx"),
        ("ours.txt", b"Just some prose.\n", "no numbered clauses"),
        (
            "ours.txt",
            b"P\n1 INTRODUCTION\n1.1 One.\n1.1 Two.\n",
            "line 4: clause 1.1 appears twice",
        ),
        ("ours.txt", b"", "The submitted file is empty"),
    ],
)
def test_a_bad_file_answers_400_with_a_plain_message(
    cast, policy_version, name, data, words
) -> None:  # type: ignore[no-untyped-def]
    response = _upload(_client(cast.head), name, data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not PolicyVersion.objects.filter(status="draft").exists()


def test_a_file_over_the_limit_is_refused(cast, policy_version, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from socialguard.policy import services
    from socialguard.policy.services import drafts

    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 100)  # what the page reads
    monkeypatch.setattr(drafts, "MAX_UPLOAD_BYTES", 100)  # what the parser's service checks
    response = _upload(_client(cast.head), "ours.txt", b"P\n1 INTRODUCTION\n" + b"1.1 x\n" * 50)
    assert response.status_code == 400
    assert "too big" in response.content.decode()


def test_the_upload_is_not_kept(cast, policy_version, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    _upload(_client(cast.head), "ours.docx", _docx(DOCX))
    assert list(tmp_path.rglob("*")) == []
    draft = PolicyVersion.objects.get(status="draft")
    assert draft.source_name == "ours.docx" and len(draft.source_sha256) == 64


@pytest.mark.parametrize(
    ("who", "status"),
    [("teacher", 403), ("governor", 403), ("dsl", 403), ("outsider", 404), ("admin", 200)],
)
def test_who_opens_a_draft(cast, policy_version, who, status) -> None:  # type: ignore[no-untyped-def]
    _upload(_client(cast.head), "ours.docx", _docx(DOCX))
    draft = PolicyVersion.objects.get(status="draft")
    assert _client(getattr(cast, who)).get(f"/policy/drafts/{draft.pk}/").status_code == status


def test_bad_input_on_the_draft_pages_is_400_not_500(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    head = _client(cast.head)
    _upload(head, "ours.docx", _docx(DOCX))
    draft = PolicyVersion.objects.get(status="draft")
    publish = head.post(
        f"/policy/drafts/{draft.pk}/publish/",
        {"label": "2", "approved_on": "yesterday", "approved_by": "", "next_review_on": "x"},
    )
    assert publish.status_code == 400 and "Enter a valid date" in publish.content.decode()
    clause = head.post(f"/policy/drafts/{draft.pk}/clauses/1.1/", {"text": "", "obligation": "x"})
    assert clause.status_code == 400
    assert head.get(f"/policy/drafts/{draft.pk}/clauses/9.9/").status_code == 404
    assert head.get("/policy/compare/?a=abc").status_code == 400
    assert head.get("/policy/compare/?a=99999999999999999999999").status_code == 400
    assert head.post("/policy/acknowledgements/remind/", {"school": "abc"}).status_code == 400
    review = head.post("/policy/review/", {"assignee": "abc", "due_on": "soon"})
    assert review.status_code == 400
    draft.refresh_from_db()
    assert draft.is_draft


def test_the_overdue_card_starts_a_review(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    head = _client(cast.head)
    dashboard = head.get("/").content.decode()
    assert "overdue for review" in dashboard and 'href="/policy/review/"' in dashboard
    due = (timezone.localdate() + timedelta(days=42)).isoformat()
    response = head.post("/policy/review/", {"assignee": cast.governor.pk, "due_on": due})
    draft = PolicyVersion.objects.get(status="draft")
    assert response["Location"] == f"/policy/drafts/{draft.pk}/"
    assert draft.review_assignee == cast.governor
    assert "is being reviewed" in head.get("/").content.decode()
    # The assignee sees it on their dashboard and may open and correct it, not publish it.
    governor = _client(cast.governor)
    assert "Prepare the next version" in governor.get("/").content.decode()
    page = governor.get(f"/policy/drafts/{draft.pk}/")
    assert page.status_code == 200 and "Publish as the current policy" not in page.content.decode()
    assert governor.post(f"/policy/drafts/{draft.pk}/publish/", {}).status_code == 403


def test_re_acknowledgement_shows_what_changed(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    from socialguard.policy.services import policy_acknowledge

    policy_acknowledge(person=cast.teacher, version=policy_version)
    head = _client(cast.head)
    _upload(head, "ours.docx", _docx(DOCX))
    draft = PolicyVersion.objects.get(status="draft")
    today = timezone.localdate()
    head.post(
        f"/policy/drafts/{draft.pk}/publish/",
        {
            "label": "2",
            "approved_on": today.isoformat(),
            "approved_by": "FGB",
            "next_review_on": (today + timedelta(days=730)).isoformat(),
        },
    )
    teacher = _client(cast.teacher)
    assert "See what changed" in teacher.get("/").content.decode()
    page = teacher.get("/policy/changes/").content.decode()
    assert "Compared with version 1" in page and "I have read and will follow version 2" in page
    assert "Changed" in page and "Removed" in page
    teacher.post("/policy/acknowledge/", {"version": draft.pk})
    assert "You acknowledged version 2" in teacher.get("/policy/changes/").content.decode()


def test_one_action_reminds_those_who_have_not(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    head = _client(cast.head)
    page = head.get("/policy/acknowledgements/").content.decode()
    assert "Remind all" in page
    response = head.post("/policy/acknowledgements/remind/", follow=True)
    assert "A reminder is on its way to" in response.content.decode()
    sent = AcknowledgementReminder.objects.count()
    assert sent > 3
    again = head.post("/policy/acknowledgements/remind/", follow=True).content.decode()
    assert "had a reminder in the last week" in again
    assert AcknowledgementReminder.objects.count() == sent
    assert AuditEvent.objects.filter(action="policy.acknowledgement.remind").count() == 2
    assert _client(cast.teacher).post("/policy/acknowledgements/remind/").status_code == 403


def test_audit_trail_links_clauses_to_the_version_in_force_then(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    from socialguard.policy.services import policy_acknowledge

    policy_acknowledge(person=cast.teacher, version=policy_version)  # an event citing 2.1
    head = _client(cast.head)
    _upload(head, "ours.docx", _docx(DOCX))
    draft = PolicyVersion.objects.get(status="draft")
    today = timezone.localdate()
    head.post(
        f"/policy/drafts/{draft.pk}/publish/",
        {
            "label": "2",
            "approved_on": today.isoformat(),
            "approved_by": "FGB",
            "next_review_on": (today + timedelta(days=730)).isoformat(),
        },
    )
    page = _client(cast.admin).get("/audit/").content.decode()
    assert f'href="/policy/versions/{policy_version.pk}/#2.1"' in page  # the old acknowledgement
    assert 'href="/policy/#2.1"' in page  # the publishing, under the current version


def test_every_field_description_and_error_is_on_the_page(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    from tests.test_form_descriptions import missing_descriptions

    head = _client(cast.head)
    _upload(head, "ours.docx", _docx(DOCX))
    draft = PolicyVersion.objects.get(status="draft")
    pages = [
        _upload(head, "ours.pdf", b"%PDF"),
        head.post("/policy/review/", {}),
        head.post(f"/policy/drafts/{draft.pk}/clauses/1.1/", {}),
        head.post(f"/policy/drafts/{draft.pk}/publish/", {}),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 400 and 'class="field-error"' in html
        assert missing_descriptions(html) == []
        assert 'aria-describedby="id_' in html
