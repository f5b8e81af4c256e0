"""Uploads: real images only, metadata removed, faces flagged, served only to members."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image as PILImage

from socialguard.community.images import MAX_BYTES, face_boxes, image_clean
from socialguard.community.models import Contribution
from socialguard.community.tests.factories import decide, jpeg, live_site, member, post
from socialguard.core.errors import ApplicationError

PORTRAIT = Path(__file__).parent / "data" / "portrait.jpg"


def exif_with_gps() -> PILImage.Exif:
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (50.0, 49.0, 12.0), 3: "W", 4: (0.0, 8.0, 30.0)}
    return exif


def test_exif_and_gps_are_removed():
    raw = jpeg(exif=exif_with_gps())
    assert PILImage.open(io.BytesIO(raw)).getexif()  # the upload carries them
    clean = image_clean(raw)
    assert "GPS location" in clean.metadata_removed
    stored = PILImage.open(io.BytesIO(clean.data))
    assert not stored.getexif() and "exif" not in stored.info


def test_only_real_images_of_allowed_types_and_sizes():
    with pytest.raises(ApplicationError, match="not an image"):
        image_clean(b"<script>alert(1)</script>")
    with pytest.raises(ApplicationError, match="largest allowed"):
        image_clean(b"\xff" * (MAX_BYTES + 1))
    bmp = io.BytesIO()
    PILImage.new("RGB", (10, 10)).save(bmp, format="BMP")
    with pytest.raises(ApplicationError, match="not accepted"):
        image_clean(bmp.getvalue())
    truncated = jpeg()[:200]
    with pytest.raises(ApplicationError):
        image_clean(truncated)


def test_a_face_is_found_in_a_portrait_and_none_in_a_plain_picture():
    assert len(face_boxes(PILImage.open(PORTRAIT))) == 1
    assert face_boxes(PILImage.open(io.BytesIO(jpeg()))) == []


@pytest.mark.django_db
def test_an_image_with_a_face_is_flagged_to_the_moderator(cast, client):
    site = live_site(cast)
    contribution = post(
        site, cast.teacher, "Our visitor", kind="image", image=PORTRAIT.read_bytes()
    )
    item = contribution.review_items.get()
    assert item.type == "queued_image" and item.faces == 1
    assert "confirm consent" in item.signals.get().reason
    client.force_login(cast.comms)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "1 face detected: confirm consent" in page


@pytest.mark.django_db
def test_images_are_served_only_to_those_who_may_see_them(cast, client):
    site = live_site(cast)
    member(site, cast.pupil, cast.line_manager)
    contribution = post(
        site, cast.pupil, "Our volcano model for science week", kind="image", image=jpeg()
    )
    url = reverse("community:image", args=[contribution.image.pk])
    client.force_login(cast.parent)  # not a member
    assert client.get(url).status_code == 404
    client.force_login(cast.pupil)  # the author, while it is held
    assert client.get(url).status_code == 200
    client.force_login(cast.comms)  # a moderator
    assert client.get(url)["Content-Type"] == "image/jpeg"
    decide(contribution.review_items.get(), cast.comms, "approve")
    client.force_login(cast.parent)
    assert client.get(url).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    assert Contribution.objects.get(pk=contribution.pk).status == "published"
