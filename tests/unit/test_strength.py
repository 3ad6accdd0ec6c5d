from kith.domain import assess
from kith.domain.model import Fact
from tests.builders import ctx, history, touch


def score(h):
    return assess(h, ctx()).strength


def test_no_two_way_contact_scores_low_and_says_so():
    s = score(history(touch(3, "like", "out")))
    assert s.score < 0.05
    assert s.reasons == ("no two-way contact yet",) or all("two-way" not in r for r in s.reasons)


def test_reasons_name_this_persons_history():
    h = history(
        touch(400, "reply", "in"),
        touch(30, "dm", "out"),
        touch(3, "dm", "in"),
        touch(3, "dm", "out"),
    )
    s = score(h)
    assert 0 < s.score <= 1
    assert len(s.reasons) == 3
    assert "last two-way contact 3 days ago" in s.reasons


def test_recency_decays_with_a_90_day_half_life():
    recent = score(history(touch(3, "dm", "in"), touch(3, "dm", "out")))
    old = score(history(touch(93, "dm", "in"), touch(93, "dm", "out")))
    assert recent.features["recency"] > 0.97
    assert abs(old.features["recency"] - 0.5 ** (93 / 90)) < 1e-3
    assert old.score < recent.score


def test_composed_words_count_more_than_one_click_reactions():
    likes = score(history(*(touch(d, "like", "in") for d in range(1, 31))))
    replies = score(history(*(touch(d, "reply", "in") for d in range(1, 31))))
    assert replies.features["intensity"] > 5 * likes.features["intensity"]


def test_meetings_facts_and_private_channels_raise_the_score():
    base = (touch(60, "reply", "in"), touch(10, "dm", "in"), touch(10, "dm", "out"))
    plain = score(history(*base))
    richer = score(
        history(
            *base,
            touch(5, "meeting", "both"),
            facts=(Fact("has two kids"), Fact("loves birds")),
        )
    )
    assert richer.score > plain.score
    assert (
        any("met in person 1 time" in r for r in richer.reasons)
        or richer.features["real_life"] == 0.5
    )


def test_one_exchange_is_said_in_the_singular():
    s = score(history(touch(17, "dm", "in"), touch(17, "dm", "out")))
    said = " ".join(s.reasons)
    assert "1 reply, message or call from them and 1 from you in 180 days" in said, said
    assert "1 replies" not in said
