"""Checking one draft: the screening engine with ``audience=personal`` and the organisation's
roster (so that a pupil's or a school's name is found), the image checks that exist, and the
advice on each finding. Everything here works on the draft in memory and returns it to the
caller; nothing is written, logged or sent."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from socialguard.community.images import (
    ALLOWED_FORMATS,
    EXIF_GPS_TAG,
    FACE_SIDE,
    MAX_BYTES,
    MAX_PIXELS,
    face_boxes,
)
from socialguard.core.errors import ApplicationError
from socialguard.postcheck.advice import advice_for, replace_words, tidy
from socialguard.screening.base import Context, Finding, Roster
from socialguard.screening.engine import Screener

MAX_TEXT = 5000
# The meaning model's findings have no words to point at; they are a "second look", never a
# verdict, and the lowest of them are left out (they are mostly noise on short friendly posts).
SECOND_LOOK_SCORE = 0.7


@dataclass(frozen=True, slots=True)
class Point:
    """One thing to change in the draft."""

    label: str
    words: str  # the words of the draft it is about ("" for the meaning model's)
    explanation: str
    change: str
    clauses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImageNote:
    """What the image checks saw, or could not check."""

    seen: str
    clauses: tuple[str, ...]
    found: bool  # False: a limit of the checks, said plainly


@dataclass(frozen=True)
class DraftCheck:
    points: tuple[Point, ...]
    second_look: tuple[Point, ...]
    rewrite: str  # "" when nothing could be rewritten
    image_notes: tuple[ImageNote, ...]
    image_checked: bool

    @property
    def clear(self) -> bool:
        return (
            not self.points and not self.second_look and not any(n.found for n in self.image_notes)
        )

    @property
    def clauses(self) -> tuple[str, ...]:
        every = [c for p in (*self.points, *self.second_look) for c in p.clauses]
        every += [c for n in self.image_notes if n.found for c in n.clauses]
        return tuple(dict.fromkeys(every))


def draft_check(*, text: str, image: bytes | None, roster: Roster) -> DraftCheck:
    """Screen ``text`` as a post on the author's own account, and look at ``image``.

    The school's watch lists (the leads' phrases, House Rules) are not used: they belong to the
    school's own sites, and a staff member must not learn them by testing drafts here.
    Raises ``ApplicationError`` for an image that cannot be read."""
    notes = _image_notes(image) if image else ()
    points: list[Point] = []
    second: list[Point] = []
    rewrite = ""
    if text.strip():
        context = Context(audience="personal", author_role="staff", roster=roster)
        findings = Screener.default().screen(text, context=context).findings
        for finding in findings:
            if finding.start < finding.end:
                points.append(_point(finding, text))
            elif finding.score >= SECOND_LOOK_SCORE:
                second.append(_point(finding, text))
        rewrite = _rewrite(text, [f for f in findings if f.start < f.end])
    return DraftCheck(
        points=tuple(points),
        second_look=tuple(second),
        rewrite=rewrite,
        image_notes=notes,
        image_checked=image is not None,
    )


def _point(finding: Finding, text: str) -> Point:
    advice = advice_for(finding.category)
    return Point(
        label=finding.label,
        words=text[finding.start : finding.end],
        explanation=finding.explanation,
        change=advice.change,
        clauses=advice.clauses or finding.clauses,
    )


def _rewrite(text: str, findings: list[Finding]) -> str:
    """The draft with the obvious changes made (a school's name, a pupil's name, a school
    e-mail address, contact details); "" when none of the findings has an obvious rewrite."""
    spans = sorted(
        (f.start, f.end, advice_for(f.category).replacement)
        for f in findings
        if advice_for(f.category).replacement is not None
    )
    if not spans:
        return ""
    out: list[str] = []
    cursor = 0
    for start, end, replacement in spans:
        if start < cursor:
            continue  # overlapping spans (an e-mail address that is also a school one)
        before = text[cursor:start]
        words = replace_words(text[start:end], replacement or "")
        sentence_start = not "".join(out).strip() and not before.strip()
        if sentence_start or before.rstrip().endswith((".", "!", "?")):
            words = words[:1].upper() + words[1:]
        out += [before, words]
        cursor = end
    out.append(text[cursor:])
    return tidy("".join(out))


def _image_notes(image: bytes) -> tuple[ImageNote, ...]:
    faces, located = _photo(image)
    notes: list[ImageNote] = []
    if faces:
        notes.append(
            ImageNote(
                f"{_faces(faces)} in the photo. socialguard cannot tell a child's face "
                "from an adult's: photos of pupils or their families must not be published on "
                "personal webspace.",
                ("6.9",),
                True,
            )
        )
    else:
        notes.append(
            ImageNote(
                "No faces were found in the photo (the check can miss a face seen side-on, "
                "far away or partly covered).",
                ("6.9",),
                False,
            )
        )
    if located:
        notes.append(
            ImageNote(
                "The photo carries the place where it was taken (GPS location): posting it "
                "can show where you live or work. Remove the location before you post it.",
                ("6.15",),
                True,
            )
        )
    notes.append(
        ImageNote(
            "socialguard cannot yet see school uniform, logos or badges, or school buildings "
            "in a photo: check for them yourself.",
            ("6.9", "6.12"),
            False,
        )
    )
    return tuple(notes)


def _photo(raw: bytes) -> tuple[int, bool]:
    """The faces in a photo and whether it carries a GPS location, read in memory.

    The same limits as an upload to a school site (``community.images``), but nothing is
    re-encoded, and a JPEG is decoded straight at the size the face check works at: a 12
    megapixel photo is checked in a fraction of the time a full decode and re-encode take."""
    if not raw:
        raise ApplicationError("The file is empty.")
    if len(raw) > MAX_BYTES:
        raise ApplicationError(
            f"The photo is {len(raw) / 1048576:.1f} MB; the largest is {MAX_BYTES // 1048576} MB."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            image = PILImage.open(io.BytesIO(raw))
        if image.format not in ALLOWED_FORMATS:
            raise ApplicationError(
                f"{image.format or 'This'} files are not accepted: use JPEG, PNG, WebP or GIF."
            )
        if image.width * image.height > MAX_PIXELS:
            raise ApplicationError(f"The photo is too large ({image.width}×{image.height} pixels).")
        exif = image.getexif()
        located = bool(exif.get(EXIF_GPS_TAG) or exif.get_ifd(EXIF_GPS_TAG))
        image.draft("RGB", (FACE_SIDE, FACE_SIDE))  # JPEG only: decode at a smaller scale
        upright = ImageOps.exif_transpose(image)
        upright.load()
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
        raise ApplicationError("The photo is too large: it claims too many pixels.") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ApplicationError("That file is not an image socialguard can read.") from error
    return len(face_boxes(upright)), located


def _faces(count: int) -> str:
    return "One face was found" if count == 1 else f"{count} faces were found"
