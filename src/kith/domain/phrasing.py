"""Suggested wordings: casual, soft, easy to say no to (docs/path.md, "Readiness and asks")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kith.domain.model import AskKind, Fact

if TYPE_CHECKING:
    from kith.domain.assessment import Assessment


#: how each action reads on screen
ACTION_LABELS: dict[str, str] = {
    "wish_luck": "Wish them luck",
    "ask_how_it_went": "Ask how it went",
    "birthday": "Happy birthday",
    "schedule": "Find a time",
    "meet_while_travelling": "Meet while travelling",
    "slow_down": "Slow down",
    "raise_irl": "Suggest meeting",
    "keep_in_touch": "Keep in touch",
    "deepen": "Go a step deeper",
    "engage": "Engage",
    "ask_for_intro": "Ask for an introduction",
}


def last_contact_text(last_contact: str | None, last_touch: str | None) -> str:
    """The last two-way contact (a day), or that there is none yet and, when there is one,
    the user's last reply or message."""
    if last_contact:
        return last_contact
    if last_touch:
        return f"none yet (your last reply or message: {last_touch})"
    return "none yet"


def plural(n: int, noun: str) -> str:
    """ "1 touch", "3 touches"; nouns here take -s, or -es after s, x, z, ch and sh."""
    if n == 1:
        return f"{n} {noun}"
    ending = "es" if noun.endswith(("s", "x", "z", "ch", "sh")) else "s"
    return f"{n} {noun}{ending}"


def percent(value: float | None) -> str:
    """A share as a whole percentage ("42%"), or "n/a"."""
    return "n/a" if value is None else f"{value:.0%}"


def plain_number(value: float | None, digits: int = 2) -> str:
    """A report figure: "3" for a whole number, else `digits` decimals; "n/a" for none."""
    if value is None:
        return "n/a"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{digits}f}"


def first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else name


def shareable_fact(facts: tuple[Fact, ...]) -> Fact | None:
    """The most recently noted fact that is not private, if any."""
    public = [f for f in facts if not f.private]
    if not public:
        return None
    return max(public, key=lambda f: (f.noted_at is not None, f.noted_at, f.id or 0))


def place_name(label: str) -> str:
    """'New York City, NY, US' -> 'New York City'."""
    return label.split(",")[0].strip()


_ASK_LINES: dict[AskKind, str] = {
    AskKind.CALL: "would you be up for a quick call sometime? No pressure at all.",
    AskKind.VIDEO: "fancy a video chat one of these weeks? Happy to fit your schedule.",
    AskKind.COFFEE: "if you're around one of these days, want to grab a coffee?",
    AskKind.MEAL: "shall we have lunch sometime soon?",
    AskKind.EVENT: "there's something coming up I think you'd enjoy; want to come along?",
}


def ask(kind: AskKind, a: Assessment) -> str:
    return f"Hi {first_name(a.person.name)}, " + _ASK_LINES[kind]


def travel(kind: AskKind, city: str, a: Assessment) -> str:
    what = "lunch" if kind is AskKind.MEAL else "a coffee"
    return (
        f"Hi {first_name(a.person.name)}, I'll be in {place_name(city)} soon; "
        f"would you have time for {what}?"
    )


def check_in(a: Assessment) -> str:
    return f"Hi {first_name(a.person.name)}, you crossed my mind. How have you been?"


def deepen(a: Assessment) -> str:
    return (
        f"Hi {first_name(a.person.name)}, really enjoyed our exchange the other day; "
        "I'd love to hear more about what you're working on."
    )
