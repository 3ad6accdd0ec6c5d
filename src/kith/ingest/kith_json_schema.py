"""What a kith-json export may hold, checked before anything of it is written (issue 12,
probe 1): every person, trip, gathering and setting is validated against these models, and
a value of the wrong type, out of range or longer than its column refuses the file in one
sentence that names the person and the field. The shape is `kith.services.exporting`'s.

Unknown fields are ignored (a later kith may add some); lengths are the columns' (PostgreSQL
enforces them, SQLite does not), so that a backup restores the same on either back end.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from kith.domain.calendar import KEPT_YEARS, kept_utc
from kith.domain.gatherings import Rsvp
from kith.domain.ids import MAX_ID
from kith.domain.model import AskKind, Channel, Direction, Response


def _utc(value: datetime) -> datetime:
    """A saved time is UTC; one written without a zone is read as UTC. kith keeps the years
    1900 to 2199 (docs/limits.md)."""
    moment = kept_utc(value.replace(tzinfo=UTC) if value.tzinfo is None else value)
    if moment is None:
        raise ValueError(f"a time in the years {KEPT_YEARS}")
    return moment


Moment = Annotated[datetime, AfterValidator(_utc)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Member = Annotated[str, Field(max_length=100)]


Str2 = Annotated[str, Field(max_length=2)]
Str20 = Annotated[str, Field(max_length=20)]
Str64 = Annotated[str, Field(max_length=64)]
Str200 = Annotated[str, Field(max_length=200)]
Str300 = Annotated[str, Field(max_length=300)]
Str320 = Annotated[str, Field(max_length=320)]


class _Saved(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Identity(_Saved):
    platform: Str20
    handle: Annotated[str, Field(min_length=1, max_length=320)]
    display: Str320 | None = None


class SavedFact(_Saved):
    id: Id | None = None
    text: str
    event_on: date | None = None
    private: bool = False
    noted_at: Moment | None = None
    member: Member | None = None


class SavedInvite(_Saved):
    id: Id | None = None
    asked_at: Moment
    kind: AskKind
    response: Response = Response.PENDING
    responded_at: Moment | None = None
    scheduled_at: Moment | None = None
    place: Str300 | None = None
    member: Member | None = None


class SavedInteraction(_Saved):
    occurred_at: Moment
    channel: Channel
    direction: Direction
    text: str | None = None
    minutes: Annotated[int, Field(ge=0, le=100_000)] | None = None
    source: Annotated[str, Field(min_length=1, max_length=32)]
    external_id: Str200 | None = None
    member: Member | None = None


class Person(_Saved):
    id: Id | None = None
    name: Annotated[str, Field(min_length=1, max_length=300)]
    notes: str | None = None
    circle: Annotated[int, Field(ge=1, le=4)] | None = None
    city: Str200 | None = None
    country: Str2 | None = None
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    timezone: Str64 | None = None
    birthday: date | None = None
    organisation: Str300 | None = None
    role: Str300 | None = None
    paused: bool = False
    created_at: Moment | None = None
    tags: list[Annotated[str, Field(min_length=1, max_length=100)]] = []
    identities: list[Identity] = []
    facts: list[SavedFact] = []
    invites: list[SavedInvite] = []
    interactions: list[SavedInteraction] = []


class Trip(_Saved):
    id: Id | None = None
    city: Str200
    country: Str2 | None = None
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    starts_on: date
    ends_on: date
    member: Member | None = None
    created_at: Moment | None = None


class Guest(_Saved):
    person_id: Id
    invitation: str
    rsvp: Rsvp = Rsvp.PENDING
    rsvp_at: Moment | None = None
    attended: bool = False


class Gathering(_Saved):
    id: Id | None = None
    title: Str300
    starts_at: Moment
    minutes: Annotated[int, Field(ge=0, le=100_000)]
    place: Str300
    uid: Annotated[str, Field(min_length=1, max_length=100)]
    member: Member | None = None
    created_at: Moment | None = None
    guests: list[Guest] = []


class Home(_Saved):
    city: str | None = None
    country: str | None = None
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None


class Own(_Saved):
    handles: list[str] = []
    names: list[str] = []


RuleValue = bool | int | float | str | dict[str, int]
_SETTINGS: dict[str, TypeAdapter[Any]] = {
    "timezone": TypeAdapter(Str64),
    "home": TypeAdapter(Home),
    "rules": TypeAdapter(dict[str, RuleValue]),
    "demo": TypeAdapter(bool),
    "me": TypeAdapter(Own),
}
_TRIPS: TypeAdapter[list[Trip]] = TypeAdapter(list[Trip])
_GATHERINGS: TypeAdapter[list[Gathering]] = TypeAdapter(list[Gathering])


class Invalid(ValueError):
    """What is wrong, in words (the importer adds which file)."""


def _said(exc: ValidationError, what: str) -> Invalid:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "it"
    return Invalid(f"{what}: {where}: {first['msg'][0].lower()}{first['msg'][1:]}")


def dumped(model: BaseModel) -> dict[str, Any]:
    return model.model_dump()


def person(data: Any, number: int) -> dict[str, Any]:
    """Person number `number` of the file, checked; as the restore reads it."""
    try:
        return dumped(Person.model_validate(data))
    except ValidationError as exc:
        name = data.get("name") if isinstance(data, dict) else None
        label = f"person {number}" + (f" ('{name}')" if isinstance(name, str) else "")
        raise _said(exc, label) from None


def settings(data: Any) -> dict[str, Any]:
    """The settings a restore takes (unknown keys left out), checked."""
    if not isinstance(data, dict):
        raise Invalid("settings: not an object")
    kept: dict[str, Any] = {}
    for key, value in data.items():
        adapter = _SETTINGS.get("me" if str(key).startswith("me:") else str(key))
        if adapter is None:
            continue
        try:
            checked = adapter.validate_python(value)
        except ValidationError as exc:
            raise _said(exc, f"settings.{key}") from None
        kept[str(key)] = checked.model_dump() if isinstance(checked, BaseModel) else checked
    return kept


def trips(data: Any) -> list[dict[str, Any]]:
    try:
        return [dumped(t) for t in _TRIPS.validate_python(data)]
    except ValidationError as exc:
        raise _said(exc, "trips") from None


def gatherings(data: Any) -> list[dict[str, Any]]:
    try:
        return [dumped(g) for g in _GATHERINGS.validate_python(data)]
    except ValidationError as exc:
        raise _said(exc, "gatherings") from None
