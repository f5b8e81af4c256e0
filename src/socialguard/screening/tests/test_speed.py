"""The short cuts that make screening fast (issue 11 point 6) give the answers the long way gives:
folding without the character loop, word pieces looked up word by word, remembered readings,
and a contextual reading that does not depend on what else was screened with it."""

from __future__ import annotations

import numpy as np
import pytest

from socialguard.screening import Context, Screener
from socialguard.screening.normalise import _fold, _fold_slowly, _plain, normalise
from socialguard.screening.semantic import Recent, SemanticModel, semantic_text

MODEL = SemanticModel.default()
STAFF = Context(author_role="staff")

TEXTS = [
    "Well done Year 4 at the concert tonight!",
    "ring 07700 900123 with questions",
    "email jess.smith@gmail.com (12 June, 1.30pm)",
    "you are such a b1tch",
    "fuuuuck off",
    "k i l l yourself",
    "sooooo good!!!",
    "aaa",
    "line one\nline two\ttabbed\r\n",
    "Café at the Élysée, naïve résumé",
    "zero\u200bwidth and soft\u00adhyphen",
    "ＦＵＬＬ width",
    "",
    "   ",
    "$h!t happens | 100%",
]


@pytest.mark.parametrize("text", TEXTS)
def test_folding_without_the_character_loop_gives_the_same_view(text: str) -> None:
    plain = _plain(text)
    assert _fold(plain) == _fold_slowly(plain)


def test_normalised_views_still_undo_the_tricks() -> None:
    assert normalise("fuuuuck").folded.text == "fuuck"
    assert normalise("k i l l").folded.text == "kill"
    assert normalise("b1tch").folded.text == "bitch"
    assert normalise("Year 4").plain.text == "year 4"


@pytest.mark.parametrize("text", TEXTS)
def test_word_pieces_looked_up_per_word_match_the_tokenizer_on_the_whole_text(text: str) -> None:
    words = semantic_text(normalise(text).plain.text)
    whole = MODEL.fast.tokenizer.encode(words, add_special_tokens=False).ids
    assert MODEL.fast.token_ids([words]) == [whole]
    assert MODEL.fast.token_ids([words]) == [whole]  # the second time from what it remembers


def test_the_contextual_reading_of_a_text_does_not_depend_on_its_neighbours() -> None:
    alone = MODEL.contextual.encode(["meet me at the park alone"])
    beside = MODEL.contextual.encode(
        [
            "a much longer message about the choir, the trip and the PE kits",
            "meet me at the park alone",
        ]
    )
    assert np.array_equal(alone[0], beside[1])


def test_recent_computes_each_new_text_once_and_forgets_the_oldest() -> None:
    asked: list[list[str]] = []

    def compute(texts: list[str]) -> np.ndarray:
        asked.append(texts)
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    recent = Recent(size=2)
    first = recent.rows(["ab", "abc", "ab"], compute, 2)
    assert asked == [["ab", "abc"]]
    assert first[:, 0].tolist() == [2, 3, 2]
    assert recent.rows(["abc"], compute, 2)[0, 0] == 3
    assert asked == [["ab", "abc"]]  # remembered
    with pytest.raises(ValueError):
        recent.rows(["abc"], compute, 2)[0, 0] = 9  # shared rows are read-only
    recent.rows(["abcd"], compute, 2)
    recent.rows(["ab"], compute, 2)
    assert asked[-1] == ["ab"]  # the oldest was forgotten


def test_a_message_screened_again_gets_the_same_verdict() -> None:
    screener = Screener.default()
    text = "Great work Class 3B meet me at the park alone"
    first, again = screener.screen(text, STAFF), screener.screen(text, STAFF)
    assert first == again
    assert "contextual" in again.stages
