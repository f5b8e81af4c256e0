"""The semantic stage: meaning, in words no rule contains; and the one routing decision."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socialguard.screening import Context, Example, HouseRule, Screener
from socialguard.screening.categories import CATEGORIES, routing_for
from socialguard.screening.semantic import MODELS, SemanticModel, semantic_text

SCREENER = Screener.default()
PUPIL = Context(author_role="pupil")
STAFF = Context(author_role="staff")


def test_the_shipped_models_load_and_the_engine_uses_them() -> None:
    assert SemanticModel.available()
    assert SCREENER.semantic is not None


def test_shipped_model_files_stay_within_40_mb() -> None:
    total = sum(p.stat().st_size for p in MODELS.iterdir() if p.is_file())
    assert total <= 40 * 1024 * 1024, f"{total / 1e6:.1f} MB"


@pytest.mark.parametrize(
    "text",
    [
        "i don't want to be alive anymore, nobody would even notice",
        # a known miss until round 2 of the heads (a sentence of the same meaning, in other
        # words, is among the hand-written training rows now)
        "honestly my family would be better off if i wasnt around any more",
        "ive been cutting my arms again and i cant stop",
    ],
)
def test_a_pupil_writing_about_ending_their_life_goes_to_the_dsl(text: str) -> None:
    verdict = SCREENER.screen(text, PUPIL)
    assert "dsl" in verdict.escalate, verdict.findings
    assert "contextual" in verdict.stages


@pytest.mark.parametrize(
    "text",
    [
        "Remember our e-safety rule: don't give your home address or photos to people you meet "
        "online.",
        "In PSHE we talked about what to do if an online friend asks you to keep secrets.",
        "My grandad died last year and I still miss him, so we planted a tree for him.",
        "The whole of Year 5 can't wait for the pantomime trip next week!",
        "Our relay team absolutely destroyed the competition at the county finals.",
    ],
)
def test_ordinary_school_posts_go_to_nobody(text: str) -> None:
    verdict = SCREENER.screen(text, PUPIL)
    assert not verdict.escalate, verdict.findings
    assert verdict.action != "block"


@pytest.mark.parametrize(
    "text",
    [
        # the e-safety lesson, blocked as grooming before round 3
        "never share your address or send photos to strangers",
        "E-safety reminder: do not send pictures to people you only know online.",
    ],
)
def test_a_staff_e_safety_lesson_is_not_an_image_request(text: str) -> None:
    verdict = SCREENER.screen(text, STAFF)
    assert verdict.action == "allow", verdict.findings
    assert not verdict.escalate


def test_negation_changes_the_meaning() -> None:
    # the counter-speech lists read "that is a horrible thing to say" (xfail until they came)
    hateful = SCREENER.screen("muslims are disgusting and should get out of this country", PUPIL)
    negated = SCREENER.screen(
        "I don't think muslims are disgusting, that is a horrible thing to say", PUPIL
    )
    assert "extreme_offence" in {f.category for f in hateful.findings}
    assert "extreme_offence" not in {f.category for f in negated.findings if f.severity != "info"}


def reads_as_hate(text: str) -> bool:
    """Whether a pupil's ``text`` gets a live hate finding (one not kept for the record only)."""
    verdict = SCREENER.screen(text, PUPIL)
    return "extreme_offence" in {f.category for f in verdict.findings if f.severity != "info"}


@pytest.mark.parametrize("text", ["muslims are not disgusting", "i dont hate gay people"])
def test_a_bare_negation_is_not_hate(text: str) -> None:
    # the negated_hate list (round 5; a strict xfail until then)
    assert not reads_as_hate(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our Sikh neighbours brought langar food round for the whole street at Vaisakhi.",
        "my two dads came to sports day and cheered louder than anyone",
        "i think its brilliant that our school has a muslim prayer room now",
        "there are loads of polish shops in our town and they sell amazing cakes",
        "why do jewish people light candles at hanukkah?",
    ],
)
def test_naming_people_for_who_they_are_is_not_hate(text: str) -> None:
    assert not reads_as_hate(text)


@pytest.mark.xfail(
    strict=True,
    reason="known misses of the shipped heads: a kind word about a group still reads as hate "
    "(docs/screening.md, what still misses)",
)
@pytest.mark.parametrize(
    "text",
    [
        "gay people are just normal people",
        "immigrants work really hard in our hospital",
        "i love my muslim neighbours they are so kind",
        "Refugees deserve a safe home like anyone else.",
    ],
)
def test_kind_words_about_a_group_are_not_hate(text: str) -> None:
    assert not reads_as_hate(text)


@pytest.mark.parametrize(
    "text",
    [
        "refugees are parasites and should be sent back",
        "trans people are mentally ill freaks",
        "disabled kids shouldnt be allowed in normal schools, they hold everyone back",
    ],
)
def test_hate_without_slurs_is_still_hate(text: str) -> None:
    assert reads_as_hate(text)


def test_a_paraphrase_of_the_dsls_example_is_flagged_and_quotes_it() -> None:
    example = "he said he would share our chats if i stop replying"
    context = Context(author_role="pupil", safeguarding_examples=(Example(text=example),))
    verdict = SCREENER.screen("he threatened to post our messages if i ignore him", context)
    matched = [f for f in verdict.findings if f.category == "safeguarding_example"]
    assert matched and "dsl" in verdict.escalate
    assert example in matched[0].explanation
    unrelated = SCREENER.screen("we shared our science project with the class", context)
    assert not [f for f in unrelated.findings if f.category == "safeguarding_example"]


def test_the_dsls_phrase_library_reaches_the_leads() -> None:
    context = Context(safeguarding_phrases=(HouseRule(pattern="chicken shop man"),))
    verdict = SCREENER.screen("going to see the Chicken Shop Man after school again", context)
    assert "safeguarding_phrase" in {f.category for f in verdict.findings}
    assert "dsl" in verdict.escalate


def test_routing_is_read_from_the_registry_alone() -> None:
    verdict = SCREENER.screen("meet me at the park alone and dont tell your mum", PUPIL)
    assert verdict.escalate == routing_for([f.category for f in verdict.findings])
    assert "police_ceop" in verdict.escalate


def test_every_category_a_detector_can_emit_is_in_the_registry() -> None:
    detectors = Path(__file__).resolve().parents[1] / "detectors"
    emitted: set[str] = set()
    for path in detectors.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        emitted |= set(re.findall(r'category="([a-z_]+)"', source))
        emitted |= set(
            re.findall(r'^\s+\(\s*"([a-z_]+)",\s*"(?:critical|high|medium|low)"', source, re.M)
        )
    from socialguard.screening.detectors.semantic import HEAD_CATEGORY

    emitted |= set(HEAD_CATEGORY.values())
    assert emitted, "the scan found nothing: the test would pass vacuously"
    assert emitted <= set(CATEGORIES), sorted(emitted - set(CATEGORIES))


def test_semantic_text_undoes_evasion_but_keeps_year_groups() -> None:
    assert semantic_text("i w4nt to k1ll mys3lf") == "i want to kill myself"
    assert semantic_text("k i l l yourself") == "kill yourself"
    assert semantic_text("year 4 trip on 12 may") == "year 4 trip on 12 may"


def test_the_verdict_says_which_stages_read_it() -> None:
    assert SCREENER.screen("PE kits on Tuesday please.", STAFF).stages == ("rules", "fast")
    assert "contextual" in SCREENER.screen("PE kits on Tuesday please.", PUPIL).stages


def test_the_meaning_models_findings_have_no_span_so_masks_still_apply() -> None:
    verdict = SCREENER.screen("go back to your country you f*cking p4ki", PUPIL)
    semantic = [f for f in verdict.findings if f.detector == "semantic"]
    assert all(f.start == f.end == 0 for f in semantic)
    assert "p4ki" not in verdict.redacted


def test_heads_with_a_hidden_layer_compute_each_heads_own_network() -> None:
    import numpy as np

    from socialguard.screening.semantic import Heads

    rng = np.random.default_rng(0)
    dims, heads, hidden = 6, 3, 4
    w1 = rng.normal(size=(dims, heads * hidden)).astype(np.float32)
    b1 = rng.normal(size=heads * hidden).astype(np.float32)
    w2 = rng.normal(size=(heads, hidden)).astype(np.float32)
    b2 = rng.normal(size=heads).astype(np.float32)
    x = rng.normal(size=(5, dims)).astype(np.float32)
    got = Heads(("a", "b", "c"), w2, b2, w1, b1).scores(x)
    for k in range(heads):
        cols = slice(k * hidden, (k + 1) * hidden)
        layer = np.maximum(x @ w1[:, cols] + b1[cols], 0)
        expected = 1 / (1 + np.exp(-(layer @ w2[k] + b2[k])))
        assert np.allclose(got[:, k], expected, atol=1e-5)


def test_a_rule_finding_the_fast_stage_confirms_skips_the_second_look() -> None:
    from dataclasses import replace

    from socialguard.screening.detectors.semantic import SemanticDetector
    from socialguard.screening.registry import build_detectors

    model = SemanticModel()
    never = dict.fromkeys(model.names, 2.0)
    model.thresholds = replace(model.thresholds, gate=never, confirm=never)
    screener = Screener(build_detectors(), SemanticDetector(model))
    text = "Well done Year 4, meet me at the park alone"
    assert "contextual" in screener.screen(text, STAFF).stages  # it would block: look again
    model.thresholds = replace(model.thresholds, confirm=dict.fromkeys(model.names, -1.0))
    verdict = screener.screen(text, STAFF)
    assert verdict.stages == ("rules", "fast")
    assert "grooming_meeting" in {f.category for f in verdict.findings}  # the finding stands


def test_an_insult_a_moderator_reads_anyway_gets_no_second_look_for_staff() -> None:
    from dataclasses import replace

    from socialguard.screening.detectors.semantic import SemanticDetector
    from socialguard.screening.registry import build_detectors

    model = SemanticModel()
    model.thresholds = replace(model.thresholds, gate=dict.fromkeys(model.names, 2.0))
    screener = Screener(build_detectors(), SemanticDetector(model))
    verdict = screener.screen("Well done Year 4 you are such an idiot", STAFF)
    assert verdict.stages == ("rules", "fast")
    assert verdict.action == "review"
