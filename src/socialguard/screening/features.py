"""Text features shared by training and inference, so both see exactly the same tokens.

Word unigrams and bigrams plus character 3- and 4-grams inside words: the character grams keep
the model robust to the spelling games people play with abuse ("stoopid", "b1tch").
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

_TOKEN = re.compile(r"[a-z0-9']+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_REPEATS = re.compile(r"(.)\1{2,}")


def model_text(text: str) -> str:
    text = _URL.sub(" ", text.lower())
    text = _MENTION.sub(" ", text).replace("&amp;", "&").replace("rt ", " ")
    text = text.translate(_LEET)
    return _REPEATS.sub(r"\1\1", text)


@lru_cache(maxsize=65536)
def _char_grams(token: str) -> tuple[str, ...]:
    padded = f"<{token}>"
    return tuple(f"#{padded[i : i + n]}" for n in (3, 4) for i in range(len(padded) - n + 1))


def features(text: str) -> set[str]:
    tokens = _TOKEN.findall(model_text(text))
    found = set(tokens)
    found.update(f"{a} {b}" for a, b in pairwise(tokens))
    for token in tokens:
        found.update(_char_grams(token))
    return found
