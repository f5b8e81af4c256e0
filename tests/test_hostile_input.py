"""Issue 10, finding 6 and the NUL bullet of finding 9: what a visitor sends is validated
everywhere, and a bad value answers 400 (422 from the API's schema) with a plain message,
never 500. Each test names the request that answered 500 on ac6ccb0."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from socialguard.community.images import image_clean
from socialguard.community.models import Contribution
from socialguard.community.tests.factories import live_site, member, published
from socialguard.core.errors import ApplicationError
from socialguard.sites import services as site_services
from socialguard.sites.models import Site
from socialguard.sites.tests.factories import GOOD_PROPOSAL
from tests.test_fuzz_pages import tiny_png

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
ERROR_KEYS = {"code", "message", "detail"}


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _plain_400(response: Any, words: str) -> None:
    assert response.status_code == 400, response.status_code
    assert words in response.content.decode()


# --- query strings -----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", HUGE, "-1", "1e20", "²"])
def test_reports_school_that_is_not_an_id_is_a_400(cast, policy_version, value: str) -> None:  # type: ignore[no-untyped-def]
    _plain_400(_as(cast.head).get("/reports/", {"school": value}), "not a valid number")


@pytest.mark.parametrize("value", [HUGE, "abc", "²"])
def test_moderation_queue_site_that_is_not_an_id_is_a_400(cast, value: str) -> None:  # type: ignore[no-untyped-def]
    site = live_site(cast)
    moderator = site.roles.filter(role="moderator").first().user
    assert _as(moderator).get("/moderation/").status_code == 200
    _plain_400(_as(moderator).get("/moderation/", {"site": value}), "not a valid number")


def test_api_review_items_site_id_past_64_bits_is_a_422_in_the_error_shape(cast) -> None:  # type: ignore[no-untyped-def]
    live_site(cast)
    response = _as(cast.comms).get("/api/review-items", {"site_id": HUGE})
    assert response.status_code == 422
    assert set(response.json()) == ERROR_KEYS and response.json()["code"] == "invalid"


def test_api_path_id_past_64_bits_is_a_422(cast) -> None:  # type: ignore[no-untyped-def]
    assert _as(cast.teacher).get(f"/api/sites/{HUGE}").status_code == 422


# --- form fields ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"kind": "comment", "parent": "abc", "body": "Hi"}, "not a valid number"),
        ({"kind": "comment", "parent": HUGE, "body": "Hi"}, "not a valid number"),
        ({"kind": "weird", "body": "Hi"}, "not one of the choices"),
    ],
)
def test_contribute_with_unreadable_fields_is_a_400(cast, data: dict[str, str], words: str) -> None:  # type: ignore[no-untyped-def]
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    _plain_400(_as(cast.pupil).post(f"/community/{site.pk}/contribute/", data), words)
    assert not Contribution.objects.filter(author=cast.pupil).exists()


def test_a_comment_on_a_real_post_still_goes_through(cast) -> None:  # type: ignore[no-untyped-def]
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    parent = published(site, cast.teacher, site.roles.filter(role="moderator").first().user)
    data = {"kind": "comment", "parent": str(parent.pk), "body": "Well done"}
    assert _as(cast.pupil).post(f"/community/{site.pk}/contribute/", data).status_code == 302
    assert Contribution.objects.filter(author=cast.pupil, parent=parent).exists()


# --- uploads -------------------------------------------------------------------------------


@pytest.mark.parametrize("side", [100_000, 12_000])  # Pillow's error, then its warning
def test_a_png_header_claiming_too_many_pixels_is_refused_plainly(side: int) -> None:
    bomb = tiny_png(side, side)
    assert len(bomb) < 100
    with pytest.raises(ApplicationError, match="too large"):
        image_clean(bomb)


def test_uploading_a_decompression_bomb_through_the_page_is_not_a_500(cast) -> None:  # type: ignore[no-untyped-def]
    import io

    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    upload = io.BytesIO(tiny_png(100_000, 100_000))
    upload.name = "bomb.png"
    response = _as(cast.pupil).post(
        f"/community/{site.pk}/contribute/", {"kind": "image", "image": upload}, follow=True
    )
    assert response.status_code == 200
    assert "too large" in response.content.decode()


# --- the API's proposal schema -------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        {"host_min_age": -1},
        {"moderator_ids": [1e20]},
        {"administrator_ids": [int(HUGE)]},
        {"audience": ["not-a-choice"]},
        {"contributors": ["not-a-choice"]},
        {"host": "nonsense"},
        {"name": "x" * 161},
        {"name": ""},
    ],
)
def test_api_refuses_a_bad_proposal_and_saves_nothing(cast, bad: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    response = _as(cast.teacher).post(
        "/api/sites", {**GOOD_PROPOSAL, **bad}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS and body["code"] == "invalid" and body["message"]
    assert not Site.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [{"host_min_age": -1}, {"audience": ["not-a-choice"]}, {"host": "nonsense"}],
)
def test_the_service_refuses_what_the_model_cannot_hold(cast, bad: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    data = {k: v for k, v in GOOD_PROPOSAL.items() if k in site_services.PROPOSAL_FIELDS}
    with pytest.raises(ApplicationError, match="Check the proposal"):
        site_services.site_proposal_save(
            site=None, by=cast.teacher, data={**data, **bad}, administrators=[], moderators=[]
        )
    assert not Site.objects.exists()


def test_openapi_documents_every_error_in_the_one_shape(cast) -> None:  # type: ignore[no-untyped-def]
    schema = _as(cast.teacher).get("/api/openapi.json").json()
    shape = schema["components"]["schemas"]["ErrorOut"]
    assert set(shape["required"]) == {"code", "message"} and "detail" in shape["properties"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "403", "404", "409", "422"):
                documented = operation["responses"].get(status, {})
                ref = documented.get("content", {}).get("application/json", {}).get("schema")
                assert ref == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)


def test_api_401_is_in_the_error_shape() -> None:
    response = Client().get("/api/sites")
    assert response.status_code == 401 and set(response.json()) == ERROR_KEYS


# --- NUL characters ------------------------------------------------------------------------


def test_nul_in_an_api_body_is_refused_and_nothing_is_saved(cast) -> None:  # type: ignore[no-untyped-def]
    response = _as(cast.teacher).post(
        "/api/sites", {**GOOD_PROPOSAL, "purpose": "a\x00b"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS and "NUL" in response.json()["message"]
    assert not Site.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/reports/?from=%00",
        "/sites/?q=a%00b",
        "/admin/accounts/user/?q=%00",
        "/safeguarding/received/a%00b/",
    ],
)
def test_nul_in_an_address_is_a_400(cast, policy_version, path: str) -> None:  # type: ignore[no-untyped-def]
    _plain_400(_as(cast.admin).get(path), "NUL")


def test_nul_in_a_posted_form_is_a_400_and_nothing_is_saved(cast) -> None:  # type: ignore[no-untyped-def]
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    data = {"kind": "post", "body": "Hello\x00there"}
    _plain_400(_as(cast.pupil).post(f"/community/{site.pk}/contribute/", data), "NUL")
    assert not Contribution.objects.filter(author=cast.pupil).exists()


def test_nul_in_a_breach_report_from_a_visitor_is_a_400(cast, policy_version) -> None:  # type: ignore[no-untyped-def]
    from socialguard.cases.models import BreachReport

    data = {"reporter_name": "A\x00B", "description": "x", "organisation": cast.organisation.pk}
    _plain_400(Client().post("/cases/report-breach/", data), "NUL")
    assert not BreachReport.objects.exists()


def test_a_very_long_username_at_sign_in_is_refused_not_a_500(cast) -> None:  # type: ignore[no-untyped-def]
    # PostgreSQL: django-axes stored the attempted username in a 255-character column.
    response = Client().post("/accounts/sign-in/", {"username": "x" * 3000, "password": "nope"})
    assert response.status_code in (200, 403, 429)
