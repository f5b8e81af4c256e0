"""Check my post, for a browser extension (issue 13): a staff member's draft for their own
social media, checked with the same service as the page and just as private. The draft and its
image come back in the answer and are kept nowhere (``socialguard.postcheck.services``)."""

# No "from __future__ import annotations": ninja reads the payload's type through the
# sensitive_variables wrapper, whose module could not resolve it as a string.
import base64
import binascii
from typing import Any

from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables
from ninja import Field, Router, Schema

from socialguard.api.api import ERRORS
from socialguard.core.errors import ApplicationError
from socialguard.core.http import signed_in_user
from socialguard.postcheck.checks import MAX_TEXT, DraftCheck
from socialguard.postcheck.services import post_check

router = Router(tags=["check my post"])


class DraftIn(Schema):
    text: str = Field("", max_length=MAX_TEXT, description="The post as it would be published.")
    image_base64: str | None = Field(
        None,
        description="A photo to post with it, base64-encoded (JPEG, PNG, WebP or GIF). The "
        "whole request is limited to 2.5 MB, so about 1.8 MB of photo.",
    )


class PointOut(Schema):
    label: str
    words: str
    explanation: str
    change: str
    clauses: list[str]


class ImageNoteOut(Schema):
    seen: str
    clauses: list[str]
    found: bool


class DraftCheckOut(Schema):
    clear: bool
    points: list[PointOut]
    second_look: list[PointOut]
    rewrite: str
    image_notes: list[ImageNoteOut]
    clauses: list[str]


def _image(encoded: str | None) -> bytes | None:
    if not encoded:
        return None
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ApplicationError(
            "The photo is not valid base64: encode the file and send again."
        ) from error


def _out(result: DraftCheck) -> dict[str, Any]:
    def point(p: Any) -> dict[str, Any]:
        return {
            "label": p.label,
            "words": p.words,
            "explanation": p.explanation,
            "change": p.change,
            "clauses": list(p.clauses),
        }

    return {
        "clear": result.clear,
        "points": [point(p) for p in result.points],
        "second_look": [point(p) for p in result.second_look],
        "rewrite": result.rewrite,
        "image_notes": [
            {"seen": n.seen, "clauses": list(n.clauses), "found": n.found}
            for n in result.image_notes
        ],
        "clauses": list(result.clauses),
    }


@router.post(
    "/check-my-post",
    response={200: DraftCheckOut, **ERRORS},
    summary="Check a draft for my own social media (staff members; nothing is kept)",
)
@sensitive_variables()
def post_check_endpoint(request: HttpRequest, payload: DraftIn) -> dict[str, Any]:
    result = post_check(
        by=signed_in_user(request), text=payload.text, image=_image(payload.image_base64)
    )
    return _out(result)
