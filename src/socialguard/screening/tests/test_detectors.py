"""Truth tables per detector: positive and negative rows, including near-misses."""

from __future__ import annotations

import codecs

import pytest

from socialguard.screening import Context, HouseRule, Roster, Screener
from socialguard.screening.base import Verdict
from socialguard.screening.detectors.abuse import (
    counter_speech,
    honest_question,
    names_people,
    negated_hate,
)
from socialguard.screening.detectors.contact import nhs_checksum_ok, upn_check_letter_ok
from socialguard.screening.families import FAMILY_OF
from socialguard.screening.normalise import normalise

ROSTER = Roster.from_dict(
    {
        "organisation": "Roselands & Stafford Federation",
        "schools": ["Stafford Junior School"],
        "email_domains": ["roselands.sch.uk"],
        "official_phones": ["01632 960000"],
        "official_addresses": ["1 Example Road, Eastbourne BN21 0ZZ"],
        "pupils": [
            {"first": "Oliver", "last": "Bennett", "year": "4"},
            {"first": "Zoë", "last": "Łukasz", "year": "2"},
        ],
        "staff": [{"first": "James", "last": "Carter", "position": "Teacher"}],
    }
)
SCREENER = Screener.default()


def live_categories(verdict: Verdict) -> set[str]:
    """The categories of a verdict's findings that count (not kept for the record only)."""
    return {f.category for f in verdict.findings if f.severity != "info"}


def families(text: str, **context: object) -> set[str | None]:
    verdict = SCREENER.screen(text, Context(roster=ROSTER, **context))
    return {FAMILY_OF.get(f.category) for f in verdict.findings}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ring me on 07700 900123", True),
        ("call 0 7 7 0 0 9 0 0 1 2 3", True),
        ("oh seven seven oh oh nine oh oh one two three", True),
        ("07OO 9OO123 after six", True),  # letters for digits
        ("+33 6 12 34 56 78", True),
        ("jess dot smith at gmail dot com", True),
        ("jess.smith@gmail.com", True),
        ("I live at 12 Acacia Avenue", True),
        ("BN21 4AB", True),
        ("DOB: 12/03/2015", True),
        ("NHS 943 476 5919", True),
        ("AB 12 34 56 C", True),
        ("add me on snap @jess_x", True),
        ("call the office on 01632 960000", False),  # the organisation's own number
        ("office@roselands.sch.uk", False),  # the school's own domain on an official site
        ("1 Example Road, Eastbourne BN21 0ZZ", False),
        ("we won 3-1 at 2pm on 12 June", False),
        ("meet at home later", False),
        ("the Secret Garden", False),
    ],
)
def test_contact(text: str, found: bool) -> None:
    assert ("contact" in families(text)) is found


def test_checksums() -> None:
    assert nhs_checksum_ok("9434765919") and not nhs_checksum_ok("9434765918")
    assert not nhs_checksum_ok("0000000000")
    # A UPN's check letter is the weighted sum of the other twelve characters, mod 23.
    body = "80112000100"
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    total = sum(int(d) * w for d, w in zip(body + "1", range(2, 14), strict=True))
    assert upn_check_letter_ok(letters[total % 23] + body + "1")
    assert not upn_check_letter_ok(letters[(total + 1) % 23] + body + "1")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Well done Oliver Bennett!", "pupil_full_name"),
        ("OLIVER BENNETT'S story", "pupil_full_name"),
        ("ollie bennett read well", "pupil_full_name"),  # nickname
        ("Zoe Lukasz painted this", "pupil_full_name"),  # accents folded
        ("Oliver in Year 4 scored", "pupil_first_name"),
        ("Oliver scored", "pupil_first_name"),
    ],
)
def test_pupils(text: str, category: str) -> None:
    verdict = SCREENER.screen(text, Context(roster=ROSTER))
    assert category in {f.category for f in verdict.findings}
    assert "Bennett" not in verdict.redacted and "[pupil]" in verdict.redacted


def test_first_name_alone_is_weaker_than_with_year() -> None:
    alone = SCREENER.screen("Oliver scored", Context(roster=ROSTER)).findings[0]
    with_year = SCREENER.screen("Oliver in Year 4 scored", Context(roster=ROSTER)).findings[0]
    assert alone.score < with_year.score and alone.severity == "low"


def test_staff_names_are_allowed_on_official_sites() -> None:
    assert families("Mr James Carter led assembly") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("all muslims should go back to their country", "extreme_offence"),
        ("I will kill you after school", "extreme_offence"),
        ("k i l l yourself", "extreme_offence"),
        ("you are such an idiot", "insult"),
        ("what a fucking mess", "tone"),
        ("shut the f*** up", "insult"),
    ],
)
def test_abuse_positive(text: str, expected: str) -> None:
    assert expected in families(text)


@pytest.mark.parametrize(
    "text",
    [
        "The kids killed it tonight!",
        "I nearly died laughing",
        "Year 6 smashed it",
        "We do not tolerate racist language",
        "you are not stupid, you are brilliant",
        "The kids were shooting hoops at lunch",
    ],
)
def test_harmless_uses_never_cite_a56(text: str) -> None:
    verdict = SCREENER.screen(text, Context(roster=ROSTER))
    assert "A.5.6" not in verdict.clauses and verdict.action != "block"


@pytest.mark.parametrize(
    "text",
    [
        "We listed the pros and cons of school uniform",
        "Chilli con carne for lunch on Thursday",
        "Homo sapiens evolved in Africa about 300,000 years ago",
        "The River Niger flows through Mali and Niger",
        "Year 5 walked part of Offa's Dyke path",
    ],
)
def test_a_lexicon_word_used_as_an_ordinary_word_is_no_slur(text: str) -> None:
    verdict = SCREENER.screen(text, Context(roster=ROSTER))
    assert "extreme_offence" not in {f.category for f in verdict.findings}
    assert verdict.action != "block"


def test_the_same_words_aimed_at_someone_still_block() -> None:
    for text in ("you are such a homo", "shut up you dyke"):
        verdict = SCREENER.screen(text, Context(author_role="pupil"))
        assert "extreme_offence" in {f.category for f in verdict.findings}, text
        assert verdict.action == "block", text


def test_a_reclaimed_form_is_offensive_language_for_a_moderator_not_hate() -> None:
    # rot13, so the slur is not written out here (the lexicon itself ships as hashes)
    reclaimed, hard = (
        codecs.decode("jnffhc zl avttn", "rot13"),
        codecs.decode("lbh ner n avttre", "rot13"),
    )
    found = SCREENER.screen(reclaimed, Context(author_role="pupil")).findings
    rules = {f.category for f in found if f.detector == "abuse"}
    assert rules == {"tone"} and all(
        "A.5.6" not in f.clauses for f in found if f.detector == "abuse"
    )
    assert SCREENER.screen(reclaimed, Context(author_role="pupil")).action == "review"
    hard_found = SCREENER.screen(hard, Context(author_role="pupil"))
    assert "extreme_offence" in {f.category for f in hard_found.findings if f.detector == "abuse"}
    assert hard_found.action == "block"


def test_reporting_abuse_is_not_extreme_offence_but_reaches_the_dsl() -> None:
    verdict = SCREENER.screen("they keep calling me a p@ki at lunch", Context(roster=ROSTER))
    assert "A.5.6" not in verdict.clauses
    assert "dsl" in verdict.escalate and verdict.action == "review"


def test_extreme_offence_blocks_and_escalates() -> None:
    verdict = SCREENER.screen("I will kill you after school", Context(roster=ROSTER))
    assert verdict.action == "block" and "dsl" in verdict.escalate and "A.5.6" in verdict.clauses


@pytest.mark.parametrize(
    ("text", "escalate"),
    [
        ("my stepdad hits me", {"dsl"}),
        ("I want to kill myself", {"dsl"}),
        ("I'm being bullied on the bus", {"dsl"}),
        ("this is our little secret", {"dsl"}),
        ("send me a pic", {"dsl", "police_ceop"}),
        ("you're so mature for your age", {"dsl"}),
        ("message me on snapchat", {"dsl"}),
        ("which way do you walk home", {"dsl"}),
        ("meet me at the park alone", {"dsl", "police_ceop"}),
        ("join the cause, the race war is coming", {"dsl"}),
    ],
)
def test_safeguarding_escalates(text: str, escalate: set[str]) -> None:
    verdict = SCREENER.screen(text, Context(roster=ROSTER, author_role="pupil"))
    assert "safeguarding" in {FAMILY_OF.get(f.category) for f in verdict.findings}
    assert escalate <= verdict.escalate


@pytest.mark.parametrize(
    "text",
    [
        "Secret santa on Friday",
        "We are reading The Secret Garden",
        "Our secret ingredient is cinnamon",
        "Please send a photo of your homework project",
        "I nearly died laughing",
    ],
)
def test_safeguarding_near_misses(text: str) -> None:
    assert "safeguarding" not in families(text)


@pytest.mark.parametrize(
    ("text", "clause", "escalate"),
    [
        ("I think the new scheme is poor", "A.4.10", set()),
        ("The school supports Labour", "5.3", set()),
        ("We will refund every parent", "A.4.2", set()),
        ("I'm a journalist from the Argus", "A.3.7", {"head_teacher"}),
    ],
)
def test_official_site_conduct(text: str, clause: str, escalate: set[str]) -> None:
    verdict = SCREENER.screen(text, Context(roster=ROSTER))
    assert clause in verdict.clauses and escalate <= verdict.escalate


def test_conduct_does_not_apply_to_personal_webspace() -> None:
    assert "conduct" not in families("I think the film was great", audience="personal")


@pytest.mark.parametrize(
    ("text", "clause"),
    [
        ("Loving my job at Stafford Junior School", "6.1"),
        ("sign up with jo@roselands.sch.uk", "6.10"),
        ("me in my school lanyard with the school logo", "6.12"),
    ],
)
def test_personal_webspace(text: str, clause: str) -> None:
    verdict = SCREENER.screen(text, Context(roster=ROSTER, audience="personal"))
    assert clause in verdict.clauses


def test_pupils_on_personal_webspace_cite_68() -> None:
    verdict = SCREENER.screen(
        "Oliver Bennett was a nightmare today", Context(roster=ROSTER, audience="personal")
    )
    assert "6.8" in verdict.clauses


def test_house_rules_block_review_censor_and_bad_patterns_are_skipped() -> None:
    rules = (
        HouseRule("bor*", "censor"),
        HouseRule("fortnite", "review"),
        HouseRule("spoiler", "block"),
        HouseRule("(a+)+$", "review", regex=True),
        HouseRule("([unclosed", "block", regex=True),
    )
    context = Context(roster=ROSTER, house_rules=rules)
    assert SCREENER.screen("this is boring", context).redacted == "this is [removed]"
    assert SCREENER.screen("who plays Fortnite?", context).action == "review"
    assert SCREENER.screen("no spoilers please, spoiler: he wins", context).action == "block"
    # RE2 runs the catastrophic-backtracking pattern in linear time; the broken one is skipped.
    assert SCREENER.screen("a" * 5000 + "!", context).action in ("allow", "review")


def test_spans_point_into_the_original_text() -> None:
    text = "Ｃａｌｌ me on 07700\u200b 900123"
    finding = next(f for f in SCREENER.screen(text, Context()).findings if f.category == "phone")
    assert text[finding.start : finding.end].startswith("07700")


def test_verdict_json_shape() -> None:
    data = SCREENER.screen("ring 07700 900123", Context()).to_dict()
    assert set(data) == {"action", "escalate", "findings", "redacted", "stages"}
    assert set(data["findings"][0]) == {
        "detector",
        "category",
        "label",
        "clauses",
        "severity",
        "score",
        "start",
        "end",
        "explanation",
    }


def test_screen_many_matches_screen() -> None:
    texts = ["ring 07700 900123", "well done", "I will kill you"]
    assert [v.to_dict() for v in SCREENER.screen_many(texts, Context())] == [
        SCREENER.screen(t, Context()).to_dict() for t in texts
    ]


def test_unknown_audience_is_refused() -> None:
    with pytest.raises(ValueError, match="audience"):
        Context(audience="twitter")


@pytest.mark.parametrize(
    "text",
    [
        'Saying "travellers are thieves" is just racist.',
        "ppl who say muslims r dirty r bullies",
        "Anyone who calls disabled children freaks should be ashamed of themselves.",
        "hating someone because they're gay is never ok",
        "it's not ok to laugh at people for wearing a turban",
        "A boy on the bus shouted that Polish people should go home and he got banned.",
        "It's a myth that refugees come here for the money.",
        "what a horrible thing to say about jewish people",
        "There is no place for racism at our school.",
        "the rumour that sikh families dont pay tax is just prejudice",
        "Can we stop with the 'refugees are all criminals' posts please?",
        "people who say autistic kids are rude are just ignorant",
        "Police have arrested a man who shouted abuse at a Jewish family on the high street.",
    ],
)
def test_counter_speech_is_told_from_hate(text: str) -> None:
    assert counter_speech(normalise(text))


@pytest.mark.parametrize(
    "text",
    [
        "muslims are disgusting",
        "I'm not racist but immigrants are ruining this town",
        "people who say refugees are parasites are right",
        "hating travellers is fine, they deserve it",
        "saying gay people are disgusting is wrong, but it's true",
        "i agree with the man who said somalis should go home, that's not racist",
        "it's not racism if it's true: travellers are thieves",
        "free speech means i can say muslims are dangerous",
        "stop calling me a bigot for saying gay people shouldnt adopt",
        # a group's or a faith's name is not a claim: "is racist" of it is hate, not a rebuttal
        "muslims are homophobic",
        "islam is homophobic",
        "the holocaust is a myth",
        "jews run the world, its not a conspiracy theory",
        # sentiment is not condemnation: these words are hate's as often as its critics'
        "im sick of immigrants",
        "its sad how many immigrants live here now",
        "muslims should be arrested and deported",
        "stop calling trans women women",
        "i used to think muslims were ok, now i know what they are",
        "you can't even say gay people are unnatural any more",
        "I was wrong about immigrants, they really are dangerous",
        "im heartbroken that my town is full of refugees now",
        "shame on the council for letting asylum seekers in",
        "who actually thinks immigrants are good for this country?",
    ],
)
def test_hate_dressed_as_counter_speech_is_not_cleared(text: str) -> None:
    assert not counter_speech(normalise(text))


@pytest.mark.parametrize(
    "text",
    [
        "saying trans people are disgusting is just wrong",
        "people who say gay people are vile are bullies",
        "someone wrote that muslims are dirty on the wall so i told a teacher",
    ],
)
def test_counter_speech_quoting_hate_is_not_cited_as_hate(text: str) -> None:
    verdict = SCREENER.screen(text, Context(author_role="pupil"))
    assert "extreme_offence" not in live_categories(verdict), verdict.findings


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("our new neighbours are a Sikh family", True),
        ("the wheelchair users at the match", True),
        ("they should all go back where they came from", True),
        ("go back to your own country", True),
        ("refugees crossing in small boats", True),
        ("j3ws", True),  # leet, undone by the folded view
        ("imigrants and musiims", True),  # a letter left out, a letter changed
        ("our homework is disgusting", False),
        ("hitler was right", True),  # extremism names its targets without naming them
        ("spiders are disgusting and should be wiped out", False),
        ("clowns are creepy and should be banned", False),
        ("school dinners on a friday", False),
    ],
)
def test_names_people_for_who_they_are(text: str, named: bool) -> None:
    assert names_people(normalise(text)) == named


@pytest.mark.parametrize(
    "text",
    ["spiders are disgusting and should be wiped out", "clowns are creepy and should be banned"],
)
def test_scorn_for_things_is_not_hate(text: str) -> None:
    verdict = SCREENER.screen(text, Context(author_role="pupil"))
    assert "extreme_offence" not in live_categories(verdict)
    assert any(f.category == "context_cleared" for f in verdict.findings), verdict.findings


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("sikhs are not dangerous", True),
        ("I don't believe that Romanians are thieves", True),
        ("i would never hate someone for being deaf", True),
        ("we've got nothing against the new families", True),
        ("wearing a hijab doesn't make you any less british", True),
        # a negation that denies nothing hateful, or takes it back
        ("refugees are not welcome in this town", False),
        ("those people are not human", False),
        ("i dont hate them but they should go back", False),
        ("trans men are not real men", False),
        ("i wouldnt mind if they all got deported", False),
    ],
)
def test_negated_hate_denies_only_a_derogatory_word(text: str, denied: bool) -> None:
    assert negated_hate(normalise(text)) == denied


@pytest.mark.parametrize(
    ("text", "honest"),
    [
        ("why do sikh men wear turbans?", True),
        ("what is it like being deaf?", True),
        ("how do jewish people celebrate passover?", True),
        ("why are muslims so violent?", False),
        ("why do immigrants get free houses?", False),
        ("why do travellers steal everything?", False),
        ("why do muslims pray so much, its disgusting?", False),
    ],
)
def test_an_honest_question_asks_what_people_do(text: str, honest: bool) -> None:
    assert honest_question(normalise(text)) == honest


def test_a_childs_question_about_a_faith_is_not_hate() -> None:
    verdict = SCREENER.screen(
        "why do some muslim girls wear headscarves?", Context(author_role="pupil")
    )
    assert "extreme_offence" not in live_categories(verdict)


def test_counter_speech_never_clears_a_threat_in_the_same_message() -> None:
    verdict = SCREENER.screen(
        "I was wrong about you. I will kill you after school", Context(author_role="pupil")
    )
    assert any(f.category == "threat" and f.detector == "abuse" for f in verdict.findings), (
        verdict.findings
    )
