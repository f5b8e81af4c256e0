"""Uploaded images: checked to be a real image of an allowed type and size, re-encoded so that
no metadata survives (EXIF, GPS, XMP, comments), and checked for faces so that a moderator
confirms consent for the pupils shown (A.5.2, 6.9).

Face detection uses the Haar cascade that ships inside the ``opencv-python-headless`` wheel:
no download, runs offline, about 20 ms for a 1,024-pixel image on one core. Its measured
precision and recall are in ``benchmarks/faces.py`` and docs/moderation.md."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from socialguard.core.errors import ApplicationError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # decompression bombs stop here, before decoding
MAX_SIDE = 4096  # stored images are scaled down to this
ALLOWED_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}
FACE_SIDE = 1024  # images are scaled to this before face detection
EXIF_GPS_TAG = 0x8825


@dataclass
class CleanImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int
    sha256: str
    faces: int
    metadata_removed: list[str] = field(default_factory=list)


def _metadata_of(image: PILImage.Image) -> list[str]:
    found = []
    exif = image.getexif()
    if exif:
        found.append("EXIF (camera, date and time)")
        if exif.get(EXIF_GPS_TAG) or exif.get_ifd(EXIF_GPS_TAG):
            found.append("GPS location")
    info_keys = {str(k).lower() for k in image.info}
    if {"xmp", "xml:com.adobe.xmp"} & info_keys:
        found.append("XMP")
    if {"comment", "description", "author", "title"} & info_keys or any(
        k.startswith("photoshop") for k in info_keys
    ):
        found.append("comments and captions")
    return found


def image_clean(raw: bytes) -> CleanImage:
    """Validate and re-encode an upload. Raises ``ApplicationError`` with a message a member
    can act on when the file is too big, not an image, or of a type the site does not take."""
    if not raw:
        raise ApplicationError("The file is empty.")
    if len(raw) > MAX_BYTES:
        raise ApplicationError(
            f"The image is {len(raw) / 1048576:.1f} MB; the largest allowed is "
            f"{MAX_BYTES // 1048576} MB."
        )
    try:
        with warnings.catch_warnings():
            # A header that claims more pixels than Pillow's limit is a decompression bomb
            # whether Pillow warns or refuses: both are a plain "too large" for the member.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            probe = PILImage.open(io.BytesIO(raw))
        kind = probe.format or ""
        width, height = probe.size
        probe.verify()  # structural check without decoding the pixels
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
        raise ApplicationError(
            "The image is too large: it claims more pixels than socialguard accepts."
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ApplicationError("That file is not an image socialguard can read.") from error
    if kind not in ALLOWED_FORMATS:
        raise ApplicationError(
            f"{kind or 'This'} files are not accepted: use JPEG, PNG, WebP or GIF.",
        )
    if width * height > MAX_PIXELS:
        raise ApplicationError(f"The image is too large ({width}×{height} pixels).")
    try:
        opened = PILImage.open(io.BytesIO(raw))
        removed = _metadata_of(opened)
        image: PILImage.Image = ImageOps.exif_transpose(
            opened
        )  # keep the photo the right way up, then drop EXIF
        image.load()
    except (OSError, ValueError, PILImage.DecompressionBombError) as error:
        raise ApplicationError("That image is damaged and cannot be read.") from error
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    converted = image.convert("RGBA" if has_alpha else "RGB")
    # A fresh image holds pixels only: no EXIF, XMP or text chunks are carried across.
    pixels = PILImage.new(converted.mode, converted.size)
    pixels.paste(converted)
    out = io.BytesIO()
    if has_alpha:
        pixels.save(out, format="PNG", optimize=True)
        content_type, extension = "image/png", "png"
    else:
        pixels.save(out, format="JPEG", quality=88, optimize=True)
        content_type, extension = "image/jpeg", "jpg"
    data = out.getvalue()
    return CleanImage(
        data=data,
        content_type=content_type,
        extension=extension,
        width=pixels.width,
        height=pixels.height,
        sha256=hashlib.sha256(data).hexdigest(),
        faces=faces_count(pixels),
        metadata_removed=removed,
    )


@lru_cache(maxsize=1)
def _cascade() -> Any:
    import cv2

    folder = cv2.data.haarcascades  # type: ignore[attr-defined]
    cascade = cv2.CascadeClassifier(folder + "haarcascade_frontalface_alt2.xml")
    if cascade.empty():  # pragma: no cover - the wheel always ships it
        raise RuntimeError("OpenCV's face cascade could not be loaded.")
    return cascade


def face_boxes(image: PILImage.Image) -> list[tuple[int, int, int, int]]:
    """Faces as (x, y, w, h) in the coordinates of ``image``."""
    import cv2
    import numpy as np

    gray = image.convert("L")
    scale = min(1.0, FACE_SIDE / max(gray.size))
    if scale < 1.0:
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)))
    array = cv2.equalizeHist(np.asarray(gray))
    smallest = max(20, round(min(gray.size) * 0.04))
    found = _cascade().detectMultiScale(
        array, scaleFactor=1.1, minNeighbors=5, minSize=(smallest, smallest)
    )
    return [
        (round(x / scale), round(y / scale), round(w / scale), round(h / scale))
        for (x, y, w, h) in (found if len(found) else [])
    ]


def faces_count(image: PILImage.Image) -> int:
    return len(face_boxes(image))
