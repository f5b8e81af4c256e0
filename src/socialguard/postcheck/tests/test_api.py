"""The API for a browser extension: the same check as the page, for staff members only, with
plain errors in the API's one shape."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from socialguard.postcheck.models import PostCheckDay

pytestmark = pytest.mark.django_db
URL = "/api/check-my-post"
PORTRAIT = Path(__file__).parents[2] / "community" / "tests" / "data" / "portrait.jpg"


def _post(user: Any, body: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(URL, body, content_type="application/json")


def test_a_teacher_gets_the_findings_the_change_and_the_rewrite(cast: Any) -> None:
    answer = _post(cast.teacher, {"text": "Busy week at Stafford Junior School"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["clear"] is False and body["clauses"] == ["6.1"]
    point = body["points"][0]
    assert point["words"] == "Stafford Junior School" and point["clauses"] == ["6.1"]
    assert "Remove the school's name" in point["change"]
    assert body["rewrite"] == "Busy week at work"


def test_a_photo_is_checked_for_faces(cast: Any) -> None:
    photo = base64.b64encode(PORTRAIT.read_bytes()).decode()
    body = _post(cast.governor, {"image_base64": photo}).json()
    assert any(n["found"] and n["clauses"] == ["6.9"] for n in body["image_notes"])


def test_refusals_and_bad_input_are_plain(cast: Any) -> None:
    refused = _post(cast.parent, {"text": "hello"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    anonymous = Client().post(URL, {"text": "hi"}, content_type="application/json")
    assert anonymous.status_code == 401
    empty = _post(cast.teacher, {"text": ""})
    assert empty.status_code == 400 and "Paste the post" in empty.json()["message"]
    not_base64 = _post(cast.teacher, {"text": "hi", "image_base64": "%%%"})
    assert not_base64.status_code == 400 and "not valid base64" in not_base64.json()["message"]
    too_long = _post(cast.teacher, {"text": "x" * 5001})
    assert too_long.status_code == 422
    assert PostCheckDay.objects.count() == 0
