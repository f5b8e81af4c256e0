"""The page and the service: staff only, findings with clause links, plain 400s, the daily
count (and nothing else) written, the photo kept in memory, the draft out of error reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.signals import got_request_exception
from django.test import Client
from django.views.debug import SafeExceptionReporterFilter

from socialguard.audit.models import AuditEvent
from socialguard.community.images import MAX_BYTES
from socialguard.community.tests.factories import jpeg
from socialguard.core.errors import ApplicationError
from socialguard.core.tests.factories import person_with_roles
from socialguard.postcheck import services
from socialguard.postcheck.models import PostCheckDay

pytestmark = pytest.mark.django_db
URL = "/check-my-post/"
PORTRAIT = Path(__file__).parents[2] / "community" / "tests" / "data" / "portrait.jpg"


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_teacher_sees_what_to_change_with_the_clauses_linked(cast: Any) -> None:
    person_with_roles(
        "pupil", organisation=cast.organisation, first_name="Oliver", last_name="Bennett"
    )
    page = _as(cast.teacher).post(
        URL, {"text": "Sports day at Stafford Junior School: go Oliver Bennett!"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Remove the school&#x27;s name" in html and "Don&#x27;t name a pupil" in html
    assert 'href="/policy/#6.1"' in html and 'href="/policy/#6.8"' in html
    assert "Sports day at work: go someone!" in html  # the suggested version
    assert "checked while you wait and then forgotten" in html


@pytest.mark.parametrize("who", ["governor", "contractor", "head", "dsl"])
def test_every_staff_member_may_check_a_post(cast: Any, who: str) -> None:
    assert _as(getattr(cast, who)).get(URL).status_code == 200


@pytest.mark.parametrize("who", ["parent", "pupil"])
def test_pupils_and_families_are_refused(cast: Any, who: str) -> None:
    client = _as(getattr(cast, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": "hello"}).status_code == 403
    assert not PostCheckDay.objects.exists()


def test_nothing_to_check_and_a_bad_photo_are_plain_400s(cast: Any) -> None:
    client = _as(cast.teacher)
    empty = client.post(URL, {"text": "  "})
    assert empty.status_code == 400 and "Paste the post you want to check" in empty.content.decode()
    bad = client.post(URL, {"text": "hi", "image": _upload(b"not a photo", "a.jpg")})
    assert bad.status_code == 400 and "not an image socialguard can read" in bad.content.decode()
    long = client.post(URL, {"text": "x" * 5001})
    assert long.status_code == 400 and "at most 5000 characters" in long.content.decode()
    assert not PostCheckDay.objects.exists()


def test_a_photo_is_checked_in_memory_and_never_written_to_disk(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Django would write any upload over 2.5 MB to a temporary file
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the photo was written to a temporary file")

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", refuse)
    big = PORTRAIT.read_bytes() + b"\0" * (3 * 1024 * 1024)  # trailing bytes: still a JPEG
    page = _as(cast.teacher).post(URL, {"text": "", "image": _upload(big, "me.jpg")})
    assert page.status_code == 200 and "One face was found" in page.content.decode()
    too_big = _as(cast.teacher).post(URL, {"image": _upload(b"\xff" * (MAX_BYTES + 1), "x.jpg")})
    assert too_big.status_code == 400 and "The photo is too big" in too_big.content.decode()


def test_the_draft_is_kept_out_of_error_reports(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("a bug while checking")

    monkeypatch.setattr(services, "post_check", broken)
    seen: list[Any] = []

    def capture(sender: Any, request: Any, **kwargs: Any) -> None:
        seen.append(SafeExceptionReporterFilter().get_post_parameters(request))

    got_request_exception.connect(capture)
    try:
        client = _as(cast.teacher)
        client.raise_request_exception = False
        assert client.post(URL, {"text": "my private draft"}).status_code == 500
    finally:
        got_request_exception.disconnect(capture)
    assert seen and "my private draft" not in str(seen[0]) and set(seen[0]["text"]) == {"*"}


def test_each_check_counts_once_a_day_per_organisation_and_is_not_audited(cast: Any) -> None:
    events = AuditEvent.objects.count()
    services.post_check(by=cast.teacher, text="hello")
    services.post_check(by=cast.governor, text="hello again", image=jpeg())
    services.post_check(by=cast.outsider, text="elsewhere")
    ours = PostCheckDay.objects.get(organisation=cast.organisation)
    assert ours.checks == 2
    assert PostCheckDay.objects.get(organisation=cast.outsider.organisation).checks == 1
    assert AuditEvent.objects.count() == events  # who checked what, and when, is not recorded


def test_the_service_refuses_who_is_not_staff_and_overlong_drafts(cast: Any) -> None:
    with pytest.raises(ApplicationError, match="for the school's staff members"):
        services.post_check(by=cast.parent, text="hi")
    with pytest.raises(ApplicationError, match="check it in parts"):
        services.post_check(by=cast.teacher, text="x" * 5001)


def test_the_dashboard_offers_the_check_and_shows_governors_the_count(cast: Any) -> None:
    services.post_check(by=cast.teacher, text="hello")
    assert "Check my post" in _as(cast.teacher).get("/").content.decode()
    assert "Check my post" not in _as(cast.parent).get("/").content.decode()
    # Governors read the governors' report, and the figure with it; a teacher does not
    assert (
        "Staff checked 1 post in the last 30 days" in _as(cast.governor).get("/").content.decode()
    )
    assert "Staff checked" not in _as(cast.teacher).get("/").content.decode()


def _upload(data: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")
