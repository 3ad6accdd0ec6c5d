"""Vigilance (docs/check.md): read a draft before it is posted or sent, and flag what one would
not say to someone's face. Each flag has a stable code and one plain sentence; flags are advice.

The rules are pure: no database, no clock. Tone comes from VADER's lexicon and profanity from
better-profanity's word list, both shipped inside their packages (read once, never fetched).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Protocol

from kith.domain.model import Stage
from kith.domain.pacing import is_link_share
from kith.domain.rules import Rules


class Code(StrEnum):
    """The stable code of each flag, in the order flags are reported."""

    HOSTILE = "hostile"
    PROFANITY = "profanity"
    SHOUTING = "shouting"
    PRIVATE_DETAILS = "private_details"
    PITCH = "pitch"
    BARE_LINK = "bare_link"


@dataclass(frozen=True, slots=True)
class Flag:
    code: Code
    message: str


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who the draft is for, as the rules see them right now."""

    name: str
    stage: Stage


@dataclass(frozen=True, slots=True)
class Limits:
    """The numbers behind the flags.

    `hostile_below`: VADER's compound score runs from -1 (most negative) to 1; measured on
    sample drafts, plain insults score about -0.7 to -0.85 and a neutral disagreement about
    -0.4, so a draft is flagged below -0.6. Shouting needs at least `shouting_min_letters`
    letters (so an acronym such as "NASA" alone is not shouting) and more than
    `shouting_upper_share` of them in capitals.
    """

    hostile_below: float = -0.6
    shouting_min_letters: int = 5
    shouting_upper_share: float = 0.7


DEFAULT_LIMITS = Limits()

#: stages at which a sales pitch is premature: nothing has come back from them yet
PITCH_STAGES = frozenset({Stage.NOTICED, Stage.ENGAGING})

# the same links that `kith.domain.pacing` removes before counting words
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
_HANDLE = re.compile(r"(?<![\w.])@\w+")


def _without_links(text: str) -> str:
    return _URL.sub(" ", text)


# -- tone ---------------------------------------------------------------------------------
class _Analyzer(Protocol):
    def polarity_scores(self, text: str) -> dict[str, float]: ...


@cache
def _analyzer() -> _Analyzer:
    from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
        SentimentIntensityAnalyzer,
    )

    analyzer: _Analyzer = SentimentIntensityAnalyzer()
    return analyzer


def tone(text: str) -> float:
    """VADER's compound score of the words (links left out): -1 very negative, 1 very positive."""
    return float(_analyzer().polarity_scores(_without_links(text))["compound"])


def is_hostile(score: float, limits: Limits = DEFAULT_LIMITS) -> bool:
    return score < limits.hostile_below


# -- profanity ----------------------------------------------------------------------------
#: words on better-profanity's list that are not swearing in a message to a person: identity,
#: faith and history, health and the body, drink and drugs, plain (non-profane) insults that
#: the tone check weighs instead, names (Wang, Guido, Woody) and ordinary words (knob, rump)
NOT_PROFANITY: tuple[str, ...] = (
    *("gay", "gays", "lesbians", "lesbos", "queer", "queers", "transsexual", "homo", "homey"),
    *("god", "hitler", "nazi", "nazism", "reich"),
    *("breasts", "ovary", "ovum", "ovums", "uterus", "womb", "menses", "menstruate"),
    *("menstruation", "tampon", "hiv", "herpes", "urine", "urinal", "rectal", "rectum"),
    *("rectus", "vomit", "stroke", "organ", "oral", "orally", "pms", "sex", "sexual", "naked"),
    *("erect", "penetrate", "penetration", "seduce"),
    *("drunk", "vodka", "rum", "pot", "hemp", "weed", "heroin", "opium", "opiate", "valium"),
    *("meth", "pcp", "hookah", "hooch", "stoned", "junkie", "junky"),
    *("kill", "murder", "sniper", "uzi", "napalm", "slave", "thug"),
    *("stupid", "dummy", "dopey", "doofus", "nimrod", "ninny", "moron", "jerk", "weirdo"),
    *("fat", "ugly", "prude", "prig", "trashy", "sleazy", "sleaze", "tawdry", "racy"),
    *("steamy", "lust", "lusty", "lusting", "vulgar"),
    *("wang", "dong", "len", "yury", "guido", "paddy", "pollock", "woody", "willy", "willies"),
    *("virgin", "vixen", "knob", "muff", "nob", "wad", "tit", "teat", "cock", "snatch"),
    *("thrust", "loin", "loins", "rump", "hump", "humped", "hoar", "pawn", "maxi", "revue"),
    *("sandbar", "seaman", "seamen", "playboy", "cowgirl", "cowgirls", "cow girl", "cow girls"),
    *("strip", "omg", "lmao", "lmfao", "foobar", "pasty", "pastie", "nappy", "potty"),
)


class _Filter(Protocol):
    def contains_profanity(self, text: str) -> bool: ...


@cache
def _profanity_filter() -> _Filter:
    from better_profanity import Profanity  # type: ignore[import-untyped]

    words = Profanity()
    words.load_censor_words(whitelist_words=list(NOT_PROFANITY))
    checker: _Filter = words
    return checker


def has_profanity(text: str) -> bool:
    """Swear words, including spellings such as "sh1t" or "f*ck" (better-profanity's list)."""
    return _profanity_filter().contains_profanity(_without_links(text))


# -- shouting -----------------------------------------------------------------------------
def capitals(text: str) -> tuple[int, int]:
    """(letters, capital letters), leaving out links, e-mail addresses and @handles."""
    rest = _HANDLE.sub(" ", _EMAIL.sub(" ", _without_links(text)))
    cased = [ch for ch in rest if ch.isalpha() and ch.lower() != ch.upper()]
    return len(cased), sum(1 for ch in cased if ch.isupper())


def is_shouting(text: str, limits: Limits = DEFAULT_LIMITS) -> bool:
    letters, upper = capitals(text)
    return letters >= limits.shouting_min_letters and upper > limits.shouting_upper_share * letters


# -- private details ----------------------------------------------------------------------
_NUMBER = r"\d{1,5}[A-Za-z]?"
_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"
_PARTICLE = r"(?:d[aeo]s?|de[lr]?|della|dei|di|du|la|las|los|le|les|van|von|der|den|the)"
_NAME = rf"(?:{_PARTICLE}\s+)*(?:{_CAPITALISED}|{_ORDINAL})"
#: street words written after the street's name, English style: "221B Baker Street"
STREET_AFTER = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|"
    "Square|Sq|Terrace|Crescent|Close|Parkway|Pkwy|Highway|Hwy"
)
#: street words written before it, with the number after: "Rua Augusta 274", "Via Roma 10"
STREET_BEFORE = (
    "Rua|Avenida|Av|Avda|Calle|Carrer|Camino|Paseo|Plaza|Praça|Largo|Travessa|Via|Viale|"
    "Piazza|Corso"
)
#: French street words after a house number, written in lower case: "12 rue de la Paix"
STREET_FRENCH = "rue|avenue|av|boulevard|bd|place|allée|chemin|impasse|quai|cours"
#: endings of German and Dutch street names before the number: "Hauptstraße 5"
STREET_SUFFIX = "straße|strasse|str\\.|gasse|allee|platz|weg|straat|laan|gracht|plein"


@cache
def _addresses() -> tuple[re.Pattern[str], ...]:
    """The street-address patterns, compiled on first use (not on every `kith` start)."""
    return (
        re.compile(rf"(?<![\w.,/:-]){_NUMBER},?\s+(?:{_NAME}\s+){{1,4}}(?:{STREET_AFTER})\b"),
        re.compile(
            rf"\b(?:{STREET_BEFORE})\.?\s+(?:{_NAME}\s+){{0,4}}{_NAME},?\s*"
            rf"(?:n\.?\s*[º°o]?\s*)?{_NUMBER}(?!\w)"
        ),
        re.compile(
            rf"(?<![\w.,/:-]){_NUMBER},?\s+(?:bis\s+|ter\s+)?(?i:{STREET_FRENCH})\.?\s+{_NAME}"
        ),
        re.compile(
            rf"\b(?:(?:{_CAPITALISED}\s+)?(?:Straße|Strasse)|[A-ZÄÖÜ][\w-]*(?i:{STREET_SUFFIX}))"
            rf"\s*{_NUMBER}(?!\w)"
        ),
    )


def has_street_address(text: str) -> bool:
    """A house number with a street word (see the patterns above); names written in lower
    case ("10 downing street") are not recognised."""
    return any(pattern.search(text) for pattern in _addresses())


def has_phone_number(text: str, region: str) -> bool:
    """A valid phone number: in international form (+351 ...) for any country, or written the
    way `region` (an ISO country code such as "US" or "PT") writes its own numbers."""
    import phonenumbers  # here, like the lexicons above: only `kith check` pays for it

    return any(True for _ in phonenumbers.PhoneNumberMatcher(text, region))


def has_email(text: str) -> bool:
    return _EMAIL.search(text) is not None


def private_details(text: str, region: str = "US") -> tuple[str, ...]:
    """What kinds of private details the draft exposes, in plain words."""
    rest = _without_links(text)
    found = []
    if has_phone_number(rest, region):
        found.append("a phone number")
    if has_email(rest):
        found.append("an e-mail address")
    if has_street_address(_EMAIL.sub(" ", rest)):
        found.append("a street address")
    return tuple(found)


# -- sales pitch --------------------------------------------------------------------------
#: wording that reads as selling, matched case-insensitively as whole words. Ambiguous single
#: words ("buy", "offer", "sign up") count only in their selling phrases, so "let me buy you
#: a coffee" or "thanks for the offer" stay friendly.
PITCH_PHRASES: tuple[str, ...] = (
    r"buy (?:now|today|it now|it here|my|our|one)",
    r"discounts?",
    r"discounted",
    r"\d+ ?% off",
    r"percent off",
    r"promo(?:tion(?:al)?)? codes?",
    r"coupons?",
    r"use (?:my |our )?code",
    r"(?:special|exclusive|limited|introductory|launch|early[- ]bird) offers?",
    r"(?:my|our) offers?",
    r"offer (?:ends|expires|is valid)",
    r"pricing",
    r"price list",
    r"free trial",
    r"free demo",
    r"(?:book|schedule|request) a demo",
    r"sign[- ]?up (?:now|today|here|at|for (?:my|our|free|a free|the waitlist))",
    r"subscribe (?:now|today|to (?:my|our))",
    r"check out (?:my|our)",
    r"(?:my|our) (?:new )?(?:products?|services|service|courses?|program(?:me)?|coaching|"
    r"agency|offering|solutions?|newsletter|webinar|masterclass|e-?book|shop|store)",
    r"limited[- ]time",
    r"act now",
    r"order now",
    r"shop now",
    r"get yours",
    r"don['’]t miss out",
    r"money[- ]back guarantee",
    r"link in (?:my )?bio",
    r"dm me for",
    r"affiliate link",
    r"(?:special|best) deal",
)


@cache
def _pitch() -> re.Pattern[str]:
    phrases = "|".join(f"(?:{p})" for p in PITCH_PHRASES)
    return re.compile(rf"(?<!\w)(?:{phrases})(?!\w)", re.IGNORECASE)


def pitch_phrases(text: str) -> tuple[str, ...]:
    """The selling phrases in the draft, in order, each once (lower case)."""
    seen: dict[str, None] = {}
    for match in _pitch().finditer(_without_links(text)):
        seen.setdefault(" ".join(match.group(0).lower().split()), None)
    return tuple(seen)


def pitch_too_early(stage: Stage) -> bool:
    return stage in PITCH_STAGES


# -- the check ----------------------------------------------------------------------------
def _listing(items: Iterable[str]) -> str:
    parts = list(items)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def check(
    text: str,
    rules: Rules,
    *,
    to: Recipient | None = None,
    region: str = "US",
    limits: Limits | None = None,
) -> tuple[Flag, ...]:
    """Every flag the draft raises, in the order of `Code`; empty when it looks fine.

    `to`: the person it is for (needed for the pitch flag); `region`: the country whose
    national phone-number format is read (numbers written with + are read anywhere);
    `limits`: the thresholds, by default the user's rules.
    """
    if limits is None:
        limits = Limits(rules.hostile_below, rules.shouting_min_letters, rules.shouting_upper_share)
    flags: list[Flag] = []
    score = tone(text)
    if is_hostile(score, limits):
        flags.append(
            Flag(
                Code.HOSTILE,
                f"The tone is strongly negative (score {score:.2f} on a scale from -1 to 1): "
                "read it again as they will, and soften what you would not say to their face.",
            )
        )
    if has_profanity(text):
        flags.append(
            Flag(Code.PROFANITY, "It contains profanity: would you use that word in person?")
        )
    if is_shouting(text, limits):
        letters, upper = capitals(text)
        flags.append(
            Flag(
                Code.SHOUTING,
                f"{round(100 * upper / letters)}% of its letters are capitals, which reads as "
                "shouting: write it in ordinary case.",
            )
        )
    details = private_details(text, region)
    if details:
        flags.append(
            Flag(
                Code.PRIVATE_DETAILS,
                f"It exposes private details ({_listing(details)}): share them privately, and "
                "only if they are yours to share.",
            )
        )
    if to is not None and pitch_too_early(to.stage):
        phrases = pitch_phrases(text)
        if phrases:
            quoted = ", ".join(f"“{p}”" for p in phrases[:3])
            flags.append(
                Flag(
                    Code.PITCH,
                    f"It reads as a sales pitch ({quoted}) to {to.name}, who is still at the "
                    f"{to.stage} stage: get to know them before you sell.",
                )
            )
    if is_link_share(text, rules):
        flags.append(
            Flag(
                Code.BARE_LINK,
                f"It is a bare link (fewer than {rules.link_share_max_words} words of your own): "
                "add a line on why you are sharing it.",
            )
        )
    return tuple(flags)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the draft check found, and for whom (`kith check`)."""

    flags: tuple[Flag, ...]
    recipient: Recipient | None = None

    @property
    def ok(self) -> bool:
        return not self.flags

    def as_json(self) -> dict[str, object]:
        """The `check` shape of docs/cli.md."""
        return {
            "ok": self.ok,
            "flags": [{"code": str(f.code), "message": f.message} for f in self.flags],
        }
