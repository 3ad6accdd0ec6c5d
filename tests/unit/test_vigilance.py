"""The draft check's pure rules (docs/check.md), each flag on and off at its boundary."""

from __future__ import annotations

import pytest

from kith.domain import Rules, Stage, assess
from kith.domain.vigilance import (
    Code,
    Limits,
    Recipient,
    capitals,
    check,
    has_email,
    has_phone_number,
    has_profanity,
    has_street_address,
    is_hostile,
    is_shouting,
    pitch_phrases,
    private_details,
    tone,
)
from tests.builders import ctx, history, touch

RULES = Rules()
FRIENDLY = "Hi Ana, how did the recital go? Would love to hear about it."
PITCH = "Would you like to book a demo? Our pricing is 20% off this week."


def codes(text: str, rules: Rules = RULES, **kwargs: object) -> list[str]:
    return [str(flag.code) for flag in check(text, rules, **kwargs)]  # type: ignore[arg-type]


def mixed_case(upper: int, lower: int) -> str:
    """A draft of `upper` capital and `lower` small letters, as words of five letters."""
    letters = "A" * upper + "a" * lower
    return " ".join(letters[i : i + 5] for i in range(0, len(letters), 5))


# -- the friendly note ----------------------------------------------------------------------
@pytest.mark.parametrize("stage", list(Stage))
def test_a_friendly_note_raises_no_flag_whoever_it_is_for(stage):
    assert check(FRIENDLY, RULES) == ()
    assert check(FRIENDLY, RULES, to=Recipient("Ana", stage)) == ()


# -- hostile ----------------------------------------------------------------------------------
def test_hostile_means_a_compound_score_below_the_limit():
    assert is_hostile(-0.61)
    assert not is_hostile(-0.6)
    assert not is_hostile(-0.59)
    assert is_hostile(-0.5, Limits(hostile_below=-0.4))


@pytest.mark.parametrize(
    "text",
    [
        "This is terrible, you ruined everything, I hate you.",
        "You are a liar and a fraud.",
        "What a terrible, lazy, dishonest article.",
    ],
)
def test_strongly_negative_drafts_are_hostile(text):
    assert tone(text) < -0.6
    assert codes(text) == ["hostile"]


def test_a_plain_disagreement_or_good_news_is_not_hostile():
    assert -0.6 < tone("I disagree with this take.") < 0
    assert tone("Congrats on the new job!") > 0
    assert codes("I disagree with this take.") == []


def test_the_hostile_limit_can_be_moved():
    text = "You are a liar and a fraud."
    assert codes(text, limits=Limits(hostile_below=-0.9)) == []
    message = check(text, RULES)[0].message
    assert "strongly negative" in message
    assert f"{tone(text):.2f}" in message


# -- profanity --------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["this is shit", "What the fuck", "sh1t happens", "f*ck this"])
def test_swear_words_and_their_disguises_are_profanity(text):
    assert has_profanity(text)
    assert "profanity" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        FRIENDLY,
        "Let us assess the class together",
        "Scunthorpe won on Saturday",
        "Great panel on gay rights and sex education",
        "God bless, and good luck",
        "Kill it at your talk tomorrow",
        "Mr Wang sends his regards, and so does Guido",
        "Humans are homo sapiens",
        "Cocktails at eight?",
    ],
)
def test_ordinary_words_on_the_long_list_are_not_profanity(text):
    assert not has_profanity(text)


def test_a_swear_word_inside_a_link_is_not_profanity():
    assert not has_profanity("A good read on this topic, have a look: https://example.com/shit")


# -- shouting ---------------------------------------------------------------------------------
def test_shouting_needs_over_seventy_percent_capitals():
    assert is_shouting(mixed_case(71, 29))
    assert not is_shouting(mixed_case(70, 30))
    assert not is_shouting(mixed_case(69, 31))
    assert codes(mixed_case(71, 29)) == ["shouting"]


def test_shouting_needs_five_letters_so_an_acronym_alone_is_not_shouting():
    assert not is_shouting("NASA")
    assert not is_shouting("NASA!!!")
    assert is_shouting("HELLO")
    assert not is_shouting("NASA launched a new rocket today")


def test_links_and_handles_do_not_count_as_capitals():
    assert capitals("@BOB_SMITH hi") == (2, 0)
    assert not is_shouting("@ANA_SMITH @BOB hi there, friends")
    assert not is_shouting("HTTPS://EXAMPLE.COM/ABCDEF is good")
    assert not is_shouting("Write to ANA.SMITH@EXAMPLE.ORG please")
    assert is_shouting("STOP IGNORING ME @ana")


def test_the_shouting_message_gives_the_share():
    flag = check("WHY WOULD YOU DO THAT", RULES)[0]
    assert flag.code is Code.SHOUTING
    assert flag.message.startswith("100% of its letters are capitals")


# -- private details --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Call me on +351 912 345 678",
        "my cell is (415) 555-2671",
        "ring 212 736 5000 after six",
        "Tel: +44 20 7946 0958",
    ],
)
def test_phone_numbers_are_found(text):
    assert has_phone_number(text, "US")
    assert private_details(text) == ("a phone number",)


def test_a_national_number_is_read_in_the_users_region():
    assert not has_phone_number("ligue para 912 345 678", "US")
    assert has_phone_number("ligue para 912 345 678", "PT")
    assert codes("ligue para 912 345 678", region="PT") == ["private_details"]


@pytest.mark.parametrize(
    "text",
    [
        "see you on 2026-03-01 at 10:30",
        "it cost $1,250,000 in 2024",
        "we had 1500 people, 3-2 at half time",
        "version 3.11.7 is out",
        "great thread https://example.com/status/4155552671 worth a read for sure",
    ],
)
def test_dates_amounts_and_links_are_not_phone_numbers(text):
    assert private_details(text) == ()


def test_email_addresses_are_found_but_handles_are_not():
    assert has_email("write to ana.smith+kith@example.co.uk")
    assert not has_email("thanks @ana, see you at the meetup")
    assert not has_email("ana at example dot org")
    assert private_details("mail me: ana@example.org") == ("an e-mail address",)


@pytest.mark.parametrize(
    "text",
    [
        "I live at 221B Baker Street",
        "Come by 10 Downing St. after lunch",
        "her flat is 350 5th Avenue",
        "1600 Pennsylvania Avenue NW",
        "Rua Augusta 274",
        "Rua das Flores, 12",
        "Avenida da Liberdade 110",
        "Via Roma 10",
        "Calle Mayor 5",
        "12 rue de la Paix",
        "Hauptstraße 5",
        "Berliner Straße 12a",
        "Karl-Marx-Allee 5",
        "Keizersgracht 123",
    ],
)
def test_a_house_number_with_a_street_word_is_a_street_address(text):
    assert has_street_address(text)
    assert private_details(text) == ("a street address",)


@pytest.mark.parametrize(
    "text",
    [
        FRIENDLY,
        "I ran 5 miles down Main Street",
        "2 kids on the road",
        "We met on 3rd Street",
        "Via email, 2 people said yes",
        "see you in Spring 2026",
        "Thanks for the 5 Star review",
        "Top 5 of the Best Street Food",
        "Meet me at Café Lumen at 10",
        "The talk is at 3 PM in Room 12",
    ],
)
def test_numbers_and_streets_apart_are_not_a_street_address(text):
    assert not has_street_address(text)


def test_every_kind_of_detail_is_named_in_one_flag():
    text = "Call +351 912 345 678, mail ana@example.org or drop by Rua Augusta 274"
    assert private_details(text) == ("a phone number", "an e-mail address", "a street address")
    (flag,) = check(text, RULES)
    assert flag.code is Code.PRIVATE_DETAILS
    assert "a phone number, an e-mail address and a street address" in flag.message


# -- pitch ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stage", "flagged"),
    [
        (Stage.NOTICED, True),
        (Stage.ENGAGING, True),
        (Stage.ACQUAINTED, False),
        (Stage.CONVERSING, False),
        (Stage.MET, False),
        (Stage.CLOSE, False),
    ],
)
def test_a_pitch_is_flagged_only_before_they_have_answered(stage, flagged):
    assert ("pitch" in codes(PITCH, to=Recipient("Ana", stage))) is flagged


def test_no_pitch_flag_without_a_recipient():
    assert "pitch" not in codes(PITCH)


def test_the_pitch_message_names_the_person_the_stage_and_the_phrases():
    (flag,) = check(PITCH, RULES, to=Recipient("Ana Example", Stage.ENGAGING))
    assert flag.code is Code.PITCH
    assert "Ana Example" in flag.message
    assert "engaging stage" in flag.message
    assert "“book a demo”" in flag.message


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        (PITCH, ("book a demo", "pricing", "20% off")),
        ("Check out my new course!", ("check out my",)),
        ("Buy now: LIMITED TIME offer ends Friday", ("buy now", "limited time", "offer ends")),
        ("Start your free trial, sign up here", ("free trial", "sign up here")),
        ("I sell coaching. My coaching works.", ("my coaching",)),
    ],
)
def test_pitch_wording_is_found_case_insensitively(text, phrases):
    assert pitch_phrases(text) == phrases


@pytest.mark.parametrize(
    "text",
    [
        FRIENDLY,
        "Let me buy you a coffee next time!",
        "Thanks for the offer, that is kind of you.",
        "Did you sign up for the marathon?",
        "Repricing old stock is a pain, right?",
        "Where did you buy that jacket?",
    ],
)
def test_friendly_wording_is_not_a_pitch(text):
    assert pitch_phrases(text) == ()
    assert codes(text, to=Recipient("Ana", Stage.NOTICED)) == []


def test_the_stage_comes_from_the_history():
    """Stage from the domain's assessment: a comment is engaging, their reply acquainted."""
    engaging = assess(history(touch(3, "comment", "out")), ctx())
    acquainted = assess(history(touch(3, "comment", "out"), touch(2, "reply", "in")), ctx())
    assert "pitch" in codes(PITCH, to=Recipient("Ana", engaging.stage))
    assert "pitch" not in codes(PITCH, to=Recipient("Ana", acquainted.stage))


# -- bare link --------------------------------------------------------------------------------
def test_a_link_with_fewer_than_five_words_is_a_bare_link():
    assert codes("https://example.com/post/1") == ["bare_link"]
    assert codes("Look: https://example.com/post/1 so good") == ["bare_link"]
    assert codes("This one made me think of your talk https://example.com/post/1") == []
    assert codes("This one made me think of your talk") == []


def test_the_bare_link_rule_follows_the_users_rules():
    text = "Look at this https://example.com/post/1"
    assert codes(text) == ["bare_link"]
    assert codes(text, rules=RULES.with_changes(link_share_max_words=3)) == []


# -- several flags ----------------------------------------------------------------------------
def test_flags_come_in_a_fixed_order_each_with_one_sentence():
    text = "YOU IDIOT, THIS IS SHIT. CALL +1 212 736 5000. BUY NOW https://x.co"
    flags = check(text, RULES, to=Recipient("Ana", Stage.NOTICED))
    assert [str(f.code) for f in flags] == [
        "hostile",
        "profanity",
        "shouting",
        "private_details",
        "pitch",
    ]
    for flag in flags:
        assert "\n" not in flag.message
        assert flag.message[-1] in ".?"
