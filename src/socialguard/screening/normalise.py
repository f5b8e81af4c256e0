"""Undo the tricks people use to slip past filters, keeping a map back to the original text.

Two views are built once per message and shared by every detector:
  ``plain``: NFKC, invisible characters removed, look-alike letters folded, lower case. Digits
             stay digits, so phone numbers and postcodes survive.
  ``folded``: ``plain`` plus leetspeak (0->o, 3->e, @->a...), letters spaced out ("k i l l"),
             and runs of repeated letters collapsed ("fuuuuck"): for words, not numbers.
Each view has ``offsets``: for every character, the index of the original character it came
from, so findings point into the text the author wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Letters from other scripts that look Latin (a small, high-yield subset of Unicode's
# confusables list: Cyrillic and Greek capitals and lower case used in evasion).
CONFUSABLES = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "һ": "h",
        "ԁ": "d",
        "ɡ": "g",
        "ո": "n",
        "ν": "v",
        "ο": "o",
        "α": "a",
        "ε": "e",
        "ι": "i",
        "κ": "k",
        "τ": "t",
        "υ": "u",
        "ρ": "p",
        "А": "a",
        "В": "b",
        "Е": "e",
        "К": "k",
        "М": "m",
        "Н": "h",
        "О": "o",
        "Р": "p",
        "С": "c",
        "Т": "t",
        "Х": "x",
        "У": "y",
        # Latin letters that Unicode does not decompose to a base letter plus an accent.
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
        "ħ": "h",
    }
)
LEET = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "8": "b",
    "@": "a",
    "$": "s",
    "!": "i",
    "|": "l",
}
_LEET_TABLE = str.maketrans(LEET)
_SPACED = re.compile(r"(?<![a-z0-9])(?:[a-z0-9@$][ .*_-]){2,}[a-z0-9@$](?![a-z0-9])")
# Three of the same character in a row: the only place where folding may drop a character.
_TRIPLE = re.compile(r"(.)\1\1", re.DOTALL)


@dataclass(frozen=True, slots=True)
class View:
    text: str
    offsets: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of this view back onto the original text."""
        if not self.offsets:
            return 0, 0
        end = max(start + 1, end)
        return self.offsets[min(start, len(self.offsets) - 1)], self.offsets[
            min(end, len(self.offsets)) - 1
        ] + 1


@dataclass(frozen=True, slots=True)
class NormalisedText:
    original: str
    plain: View
    folded: View


def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Cc", "Mn") and char not in "\n\t"


def _plain(original: str) -> View:
    if original.isascii() and original.isprintable():
        # Most messages: nothing to undo but case, one character in, one character out.
        return View(original.lower(), tuple(range(len(original))))
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(original):
        for piece in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", char)):
            if _is_invisible(piece):
                continue  # zero-width joiners, combining accents (é -> e), soft hyphens
            for out in piece.translate(CONFUSABLES).casefold():
                chars.append(out)
                offsets.append(index)
    return View("".join(chars), tuple(offsets))


def _fold(plain: View) -> View:
    if _SPACED.search(plain.text) is None:
        # Most messages: nothing spaced out, so leetspeak maps one character to one; unless a
        # character then repeats three times, the plain view's offsets hold as they are.
        translated = plain.text.translate(_LEET_TABLE)
        if _TRIPLE.search(translated) is None:
            return View(translated, plain.offsets)
    return _fold_slowly(plain)


def _fold_slowly(plain: View) -> View:
    text, offsets = plain.text, list(plain.offsets)
    # Join letters spaced out for evasion: "k i l l" / "k.i.l.l" -> "kill".
    chars: list[str] = []
    kept: list[int] = []
    last_end = 0
    for match in _SPACED.finditer(text):
        chars.extend(text[last_end : match.start()])
        kept.extend(offsets[last_end : match.start()])
        for i in range(match.start(), match.end(), 2):
            chars.append(text[i])
            kept.append(offsets[i])
        last_end = match.end()
    chars.extend(text[last_end:])
    kept.extend(offsets[last_end:])
    # Leetspeak inside words only: "b1tch" -> "bitch", but "ring 0800" keeps its digits as digits
    # for no-one (the folded view is for words), so map every leet character.
    out: list[str] = []
    out_offsets: list[int] = []
    for i, char in enumerate(chars):
        char = LEET.get(char, char)
        if len(out) >= 2 and char.isalpha() and out[-1] == char and out[-2] == char:
            continue  # collapse runs of three or more to two: "fuuuuck" -> "fuuck"
        out.append(char)
        out_offsets.append(kept[i])
    return View("".join(out), tuple(out_offsets))


# Short texts are remembered: up to 1,024 of up to 300 characters, at most about 16 MB.
REMEMBER_UP_TO = 300


def normalise(text: str) -> NormalisedText:
    """Both views of ``text``. The same short words arrive again (a notice to every class, a
    message screened again when edited) and the result is immutable, so short texts are kept
    for a while; a long one is not (its offsets cost about 50 bytes a character)."""
    if len(text) <= REMEMBER_UP_TO:
        return _remembered(text)
    return _normalise(text)


@lru_cache(maxsize=1024)
def _remembered(text: str) -> NormalisedText:
    return _normalise(text)


def _normalise(text: str) -> NormalisedText:
    plain = _plain(text)
    return NormalisedText(original=text, plain=plain, folded=_fold(plain))
