"""Plain words for what the rules compute, as the person page shows them: each stage, circle,
channel, answer and reason in words a user understands without docs/path.md, and the short
explanation a tap on each reveals. Pure functions of the show JSON (`Kith.show`) and the
rules' numbers (`Kith.rules`); registered as template filters in templating.py."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

#: how each stage reads (docs/path.md, "Stages")
STAGE_WORDS: dict[str, str] = {
    "noticed": "noticed",
    "engaging": "reaching out",
    "acquainted": "acquainted",
    "conversing": "in conversation",
    "voice": "talked (call or video)",
    "met": "met in person",
    "friend": "friend",
    "close": "close friend",
}
#: what each stage means, in one sentence
STAGE_HELP: dict[str, str] = {
    "noticed": "You follow them or like what they post; nothing addressed to them yet.",
    "engaging": "You have shared, commented on or written to them; no answer from them yet.",
    "acquainted": "They have addressed you at least once: a reply, a comment, a mention "
    "or a message.",
    "conversing": "You have written to each other in private (messages both ways).",
    "voice": "You have talked to each other on a call or a video call.",
    "met": "You have met in person (a meeting or a gathering together).",
    "friend": "You have met, and spent about 50 hours together.",
    "close": "You have spent about 200 hours together.",
}
NO_HISTORY = "no history yet"
NO_HISTORY_HELP = (
    "kith has no interaction with them yet (an address-book contact, or someone added by "
    "hand): an address book says who you know, not what happened between you."
)
STAGES_NOTE = (
    "A stage is the furthest step your whole history with them has reached; it never goes "
    "down. Strength, below, shows how fresh the tie is."
)

#: each circle, from the closest (docs/path.md, "Focus and circles": Dunbar's layers)
CIRCLE_WORDS: dict[int, str] = {
    1: "your closest",
    2: "good friends",
    3: "friends",
    4: "your wider circle",
}

#: each channel of a touch, as a person says it
CHANNEL_WORDS: dict[str, str] = {
    "follow": "follow",
    "like": "like",
    "share": "share (repost)",
    "comment": "comment",
    "reply": "reply",
    "mention": "mention",
    "dm": "private message",
    "chat": "chat",
    "email": "email",
    "call": "call",
    "video": "video call",
    "meeting": "meeting in person",
    "gathering": "gathering",
}
#: the channels of the log form, in groups, the most personal first
CHANNEL_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Talking", ("dm", "chat", "email", "call", "video", "meeting", "gathering")),
    ("In public", ("comment", "reply", "mention", "share")),
    ("One click", ("like", "follow")),
)

#: each kind of real-life ask, with its article
KIND_WORDS: dict[str, str] = {
    "call": "a call",
    "video": "a video call",
    "coffee": "a coffee",
    "meal": "a meal",
    "event": "an event",
}

#: the answer to a real-life ask, as the buttons that record it say it
ANSWER_WORDS: dict[str, str] = {
    "positive": "said yes",
    "neutral": "said maybe later",
    "negative": "said no",
    "pending": "waiting for an answer",
}

#: each milestone (kith.domain.stages, and a gathering's answers)
MILESTONE_WORDS: dict[str, str] = {
    "noticed": "first noticed",
    "engaging": "you first reached out",
    "acquainted": "they first addressed you",
    "conversing": "first private messages both ways",
    "first_inbound_message": "first message from them",
    "voice": "first talked (call or video)",
    "first_call": "first call",
    "met": "first met in person",
    "first_meeting": "first meeting",
    "friend": "became friends (about 50 hours together)",
    "close": "became close friends (about 200 hours together)",
    "rsvp_yes": "said yes to a gathering",
    "rsvp_no": "said no to a gathering",
    "rsvp_maybe": "said maybe to a gathering",
}

#: why kith suggests each next step, in a sentence or two
ACTION_HELP: dict[str, str] = {
    "wish_luck": "You remembered something coming up in their life: a short note before "
    "it shows you listened.",
    "ask_how_it_went": "Something you remembered has happened: asking how it went is one of "
    "the warmest messages there is.",
    "birthday": "Their birthday is coming up.",
    "schedule": "They said yes to meeting: agree on a time and a place before it fades.",
    "meet_while_travelling": "You will be in their city soon: a good moment to meet in person.",
    "slow_down": "You have been writing a lot without an answer: give them room for a few "
    "days. kith suggests nothing else for them until the pace is normal again.",
    "raise_irl": "They have been answering you for a few weeks: the moment to suggest "
    "meeting (moving offline early helps, waiting too long hurts). A coffee when they live "
    "near you, otherwise a call first, then video.",
    "keep_in_touch": "People drift apart in silence: a short note keeps the tie alive, at "
    "the pace of their circle, or when the silence is much longer than usual between you.",
    "deepen": "They have been addressing you in public: a private message is the next step closer.",
    "engage": "A light touch (a comment on something they posted) keeps you on their mind "
    "without asking for anything.",
    "ask_for_intro": "A teammate knows them well and you do not know them yet: an "
    "introduction from someone they trust is warmer than any cold message.",
}

TWO_WAY_HELP = (
    "A two-way contact is a reply, comment, mention or message from them, or a call or a "
    "meeting together. Likes and follows are not contact."
)
STRENGTH_HELP = (
    "Tie strength is a score from 0 to 1 that kith computes from your history: how recent "
    "your last two-way contact is, how long you have known each other, how often and how "
    "deeply you talk, whether it goes both ways, what you remember about them, whether you "
    "met, and on how many channels. The three biggest reasons are listed. It fades with "
    "silence."
)
RECIPROCITY_HELP = (
    "Their touches divided by yours over the last 180 days, counting only sources that show "
    "both sides: 1 means as much from them as from you. Below 0.5 (one back for every two), "
    "kith does not suggest meeting yet."
)
READY_HELP = (
    "kith suggests meeting in real life when they have answered you for at least 3 weeks, "
    "addressed you 3 times in the last 90 days, answer about one in two of your touches, "
    "you are not writing too much, and no ask is waiting or was just turned down."
)
HOURS_HELP = (
    "Shared hours add up the time of each touch: a message a couple of minutes, a call or a "
    "meeting the minutes you log. About 50 hours make a casual friend, 90 a friend, 200 a "
    "close friend (Hall 2019)."
)
LADDER_HELP = (
    "The ladder goes from one-click reactions up to meeting in person. Each rung is a "
    "richer way to be in touch; kith suggests one rung at a time."
)
PAUSED_HELP = (
    "Paused: kith suggests nothing about them for now. Their history stays; edit them to resume."
)

_TIE_STRENGTH = re.compile(r"\btie strength (\d(?:\.\d+)?)")
_POPULATION = re.compile(r"\s*\(pop\. [\d,]+\)$")


def stage_words(stage: str | None, label: str | None = None) -> str:
    """A stage in words ("voice" reads "talked (call or video)"); "no history yet" before
    any interaction."""
    if label == NO_HISTORY:
        return NO_HISTORY
    return STAGE_WORDS.get(str(stage), str(stage))


def stage_help(stage: str | None, label: str | None = None) -> str:
    if label == NO_HISTORY:
        return NO_HISTORY_HELP
    return STAGE_HELP.get(str(stage), "")


def circle_words(circle: int | None, rules: Mapping[str, Any] | None = None) -> str:
    """A circle in words: "circle 1: your closest (about 5 people)", or "not in a circle"."""
    if not circle:
        return "not in a circle"
    caps = (rules or {}).get("circle_caps") or {}
    cap = caps.get(str(circle)) or caps.get(circle) or {1: 5, 2: 15, 3: 50, 4: 150}[circle]
    return f"circle {circle}: {CIRCLE_WORDS.get(int(circle), '')} (about {cap} people)"


def circle_help(rules: Mapping[str, Any] | None = None) -> str:
    """What circles are, with the caps and cadences of the base's rules."""
    given = rules or {}
    caps = {str(k): v for k, v in (given.get("circle_caps") or {}).items()}
    every = {str(k): v for k, v in (given.get("circle_cadence_days") or {}).items()}
    default_caps = {"1": 5, "2": 15, "3": 50, "4": 150}
    default_every = {"1": 7, "2": 30, "3": 90, "4": 365}
    parts = [
        f"{n}: {CIRCLE_WORDS[int(n)]}, at most {caps.get(n, default_caps[n])} people, "
        f"a touch every {every.get(n, default_every[n])} days"
        for n in ("1", "2", "3", "4")
    ]
    return (
        "Circles are the few people you choose to keep close, after Dunbar's layers. "
        + "; ".join(parts)
        + ". kith does not place anyone in a circle: you do, with Edit."
    )


def channel_words(channel: str | None) -> str:
    return CHANNEL_WORDS.get(str(channel), str(channel))


def kind_words(kind: str | None) -> str:
    """A kind of ask with its article: "coffee" reads "a coffee"."""
    return KIND_WORDS.get(str(kind), str(kind))


def answer_words(answer: str | None) -> str:
    """The answer to an ask in words: "neutral" reads "said maybe later", as its button."""
    return ANSWER_WORDS.get(str(answer), str(answer))


def milestone_words(kind: str | None) -> str:
    return MILESTONE_WORDS.get(str(kind), str(kind).replace("_", " "))


def action_help(action: str | None) -> str:
    return ACTION_HELP.get(str(action), "")


def tie_words(score: float | None) -> str:
    """How strong a tie is, in a word or two (the meter's low and high marks)."""
    if score is None:
        return "unknown"
    if score < 0.25:
        return "still weak"
    if score < 0.6:
        return "growing"
    return "strong"


def plain_reason(text: str | None) -> str:
    """A reason of the rules with its numbers in words: "tie strength 0.38" becomes
    "your tie is growing"."""
    if not text:
        return ""
    return _TIE_STRENGTH.sub(lambda m: f"your tie is {tie_words(float(m.group(1)))}", str(text))


def sentence(text: str | None) -> str:
    """A reason as a sentence: its first letter a capital (the rest as it is)."""
    value = str(text or "")
    return value[:1].upper() + value[1:]


def reciprocity_words(value: float | None) -> str:
    """Their touches for yours, in words."""
    if value is None:
        return "not enough exchange in the last 180 days to say"
    if value >= 1.25:
        return "they reach out more than you do"
    if value >= 0.8:
        return "balanced: about as much from them as from you"
    if value >= 0.5:
        return "a little more from you than from them"
    return "mostly from you: fewer than one back for every two"


def place_words(city: str | None, km: float | None, rules: Mapping[str, Any] | None = None) -> str:
    """Where they live, from your point of view: "lives in your city", "40 km from you"."""
    if not city:
        return ""
    if km is None:
        return str(city)
    near = float((rules or {}).get("near_km") or 100.0)
    if km < 5:
        return f"{city} · lives in your city"
    if km <= near:
        return f"{city} · {km:,.0f} km from you, near enough for a coffee"
    return f"{city} · {km:,.0f} km from you"


def venue_distance(km: float | None) -> str:
    """How far a guest lives from the gathering: "in the venue's city", "22 km away"."""
    if km is None:
        return ""
    return "in the venue's city" if km < 5 else f"{km:,.0f} km away"


def day_words(day: str | None, today: str | None) -> str:
    """A day from today's point of view: "today", "yesterday", "3 days ago", else the day
    ("9 October 2026")."""
    if not day:
        return ""
    then = date.fromisoformat(str(day)[:10])
    if today:
        days = (date.fromisoformat(str(today)[:10]) - then).days
        if days == 0:
            return "today"
        if days == 1:
            return "yesterday"
        if 1 < days < 14:
            return f"{days} days ago"
    return f"{then.day} {then:%B %Y}"


def last_contact_words(p: Mapping[str, Any], today: str | None) -> str:
    """The last two-way contact, or that there is none yet (with your last message)."""
    if p.get("last_contact"):
        return day_words(p["last_contact"], today)
    if p.get("last_touch"):
        return f"no two-way contact yet (you last wrote {day_words(p['last_touch'], today)})"
    return "no two-way contact yet"


def initials(name: str | None) -> str:
    """The initials of a name, for its avatar: "Nadia Weber" → "NW"."""
    words = [w for w in str(name or "").split() if any(c.isalnum() for c in w)]
    if not words:
        return "?"
    letters = [next(c for c in w if c.isalnum()) for w in (words[0], words[-1])]
    if len(words) == 1:
        letters = letters[:1]
    return "".join(letters).upper()


def avatar_hue(person_id: int | None) -> int:
    """One of eight colours, the same for a person every time."""
    return int(person_id or 0) * 5 % 8


def city_choice(candidate: str) -> str:
    """An ambiguous city's candidate as the gazetteer takes it back: "Portland, OR, US"."""
    return _POPULATION.sub("", candidate)


FILTERS: dict[str, Any] = {
    "stage_words": stage_words,
    "stage_help": stage_help,
    "circle_words": circle_words,
    "channel_words": channel_words,
    "kind_words": kind_words,
    "answer_words": answer_words,
    "milestone_words": milestone_words,
    "action_help": action_help,
    "tie_words": tie_words,
    "plain_reason": plain_reason,
    "sentence": sentence,
    "reciprocity_words": reciprocity_words,
    "day_words": day_words,
    "venue_distance": venue_distance,
    "last_contact_words": last_contact_words,
    "initials": initials,
    "avatar_hue": avatar_hue,
}
