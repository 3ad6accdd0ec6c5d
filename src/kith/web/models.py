"""The JSON API's shapes, for FastAPI's OpenAPI schema: the same as the CLI's `--json`
(docs/cli.md). Fields may be added, never renamed, so every model
accepts and passes on fields it does not list."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kith.domain.model import AskKind, Channel, Direction

#: the longest touch or gathering, in minutes (a week)
MAX_MINUTES = 7 * 24 * 60
#: the longest snooze, in days (ten years)
MAX_SNOOZE_DAYS = 3650


class Open(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


# -- people and the agenda -------------------------------------------------------------------
class PersonRef(Open):
    id: int
    name: str


class AgendaItem(Open):
    """One of today's actions (`kith today --json`)."""

    person: PersonRef
    action: str
    reason: str
    priority: float
    due: str
    details: dict[str, Any]


class PeopleRow(Open):
    """One row of `kith people --json`."""

    id: int
    name: str
    stage: str
    stage_label: str | None = None  # "no history yet" for someone with no interaction
    strength: float
    circle: int | None
    last_contact: str | None
    city: str | None = None
    ready: bool = False
    paused: bool = False


class Strength(Open):
    score: float
    reasons: list[str]


class Identity(Open):
    platform: str
    handle: str


class Milestone(Open):
    kind: str
    at: str | None


class FactOut(Open):
    text: str
    event_on: str | None
    private: bool = False
    id: int | None = None


class Counts(Open):
    in_: int = Field(alias="in")
    out: int


class NextStep(Open):
    action: str
    reason: str
    details: dict[str, Any]


class Readiness(Open):
    ask: str
    missing: list[str]


class InviteOut(Open):
    id: int | None
    kind: str
    asked_at: str | None
    response: str
    responded_at: str | None
    scheduled_at: str | None
    place: str | None


class AskStatus(Open):
    state: str = Field(
        description="backing_off, waiting, to_schedule, planned, retry_later or open"
    )
    until: str | None = None  # backing_off, retry_later: the day asking again makes sense
    invite_id: int | None = None
    kind: str | None = None


class Touch(Open):
    at: str | None
    channel: str
    direction: str
    text: str | None
    minutes: int | None
    is_link_share: bool


class PersonGathering(Open):
    id: int
    title: str
    at: str | None
    rsvp: str
    rsvp_at: str | None
    attended: bool


class MemberName(Open):
    email: str
    name: str


class Tie(Open):
    """One member's own relationship with a person (`kith who-knows --json`)."""

    member: MemberName
    strength: Strength
    stage: str
    last_contact: str | None = Field(description="the member's last two-way contact day")


class Profile(Open):
    """One relationship (`kith show --json`)."""

    id: int
    name: str
    stage: str
    stage_label: str | None = None  # "no history yet" for someone with no interaction
    strength: Strength
    hours: float
    circle: int | None
    city: str | None
    tags: list[str]
    identities: list[Identity]
    milestones: list[Milestone]
    facts: list[FactOut]
    counts: Counts
    ready: bool
    next: NextStep | None
    readiness: Readiness | None = None
    reciprocity: float | None = None
    slow_down: bool = False
    pace: str | None = None
    coverage: str | None = None  # what the sources cannot show, or None
    birthday: str | None = None  # ISO, or "--12-09" when the year is unknown
    birthday_text: str | None = None  # "9 December" or "9 December 1990"
    last_contact: str | None = None  # the last two-way contact day
    last_touch: str | None = None  # the last reply, message, call or meeting either way
    ask_state: AskStatus | None = None
    first_contact: str | None = None
    invites: list[InviteOut] = []
    gatherings: list[PersonGathering] = []
    interactions: int | None = None
    recent: list[Touch] = []
    who_knows: list[Tie] | None = None  # a team base: every member with a history, strongest first
    as_member: str | None = None  # a team base: whose own history the figures are
    team_hold: str | None = None  # a team base: a teammate's recent ask holds yours


class Snoozed(Open):
    person_id: int
    action: str
    until: str


# -- imports ---------------------------------------------------------------------------------
class Source(Open):
    name: str
    title: str


class ImportSummary(Open):
    """What an import did (`kith import --json`)."""

    source: str
    file: str
    people_created: int
    people_matched: int
    people_merged: int = 0
    interactions_added: int
    interactions_skipped: int
    identities_added: int = 0
    dry_run: bool = False
    warnings: list[str] = []


class ImportJob(Open):
    """An import running in the server; poll it until `state` is done or failed."""

    id: str
    source: str
    file: str
    state: Literal["waiting", "running", "done", "failed"]
    label: str
    done: int
    total: int
    percent: int | None
    summary: ImportSummary | None
    error: str | None


# -- plans -----------------------------------------------------------------------------------
class Trip(Open):
    id: int
    city: str
    from_: str = Field(alias="from")
    to: str
    status: Literal["past", "now", "coming"]


class Guest(Open):
    person: PersonRef
    invitation: str
    rsvp: str
    rsvp_at: str | None
    attended: bool


class Gathering(Open):
    """A gathering with each guest's invitation and answer (`kith gatherings --json`)."""

    id: int
    title: str
    at: str | None
    minutes: int
    place: str
    past: bool
    rsvp: dict[str, int]
    attended: int
    guests: list[Guest]


# -- report ----------------------------------------------------------------------------------
class Report(Open):
    """`kith report --json` (every number is explained in docs/report.md)."""

    as_of: str | None
    timezone: str
    people: int
    paused: int
    by_stage: dict[str, int]
    funnel: dict[str, int]
    met_last_365d: int
    met_ever: int
    median_days_to_first_meeting: float | None
    conversation_share: float | None
    conversation: dict[str, Any]
    reciprocity: float | None
    reciprocity_detail: dict[str, Any]
    invites: dict[str, Any]
    conversions: list[dict[str, Any]]
    months: list[dict[str, Any]]
    recent: list[dict[str, Any]]


class Session(Open):
    """The CSRF token of this session: send it as the `X-CSRF-Token` header of every POST,
    with the session cookie this response sets."""

    csrf_token: str
    header: str = "X-CSRF-Token"


class Problem(BaseModel):
    """An error: one sentence."""

    detail: str


# -- requests --------------------------------------------------------------------------------
class LogRequest(BaseModel):
    channel: Channel = Field(description="how: from a like to meeting in person")
    direction: Direction | None = Field(None, description="out, in or both; default by channel")
    at: str | None = Field(None, description="when (ISO-8601; your zone when none); now")
    text: str | None = None
    minutes: int | None = Field(None, ge=0, le=MAX_MINUTES, description="how long it lasted")


class FactRequest(BaseModel):
    text: str
    on: str | None = Field(None, description="a date: the fact becomes a coming event")
    private: bool = False


class InviteRequest(BaseModel):
    kind: AskKind | None = Field(None, description="the ask; default: the one kith suggests")


class AnswerRequest(BaseModel):
    answer: Literal["positive", "neutral", "negative"]
    when: str | None = None
    where: str | None = None


class LoginRequest(BaseModel):
    email: str
    password: str


class Member(Open):
    email: str
    name: str
    role: str = Field(description="owner, member or viewer")
    active: bool
    has_password: bool
    shares_texts: bool = Field(description="teammates see the words of their messages")
    joined: str | None
    removed: str | None


class AddRequest(BaseModel):
    name: str
    city: str | None = Field(None, description="a city name; ambiguous names answer 422")
    tags: list[str] = Field(default_factory=list)
    circle: int | None = Field(None, description="1 (closest) to 4; none when not given")
    handles: list[str] = Field(default_factory=list, description="platform:handle")


class MergeRequest(BaseModel):
    keep: int = Field(description="the person kept")
    gone: int = Field(description="the duplicate, folded into `keep`")


class PairRequest(BaseModel):
    a: int
    b: int
    undo: bool = Field(False, description="take it back: the pair may be suggested again")


class DuplicatePair(Open):
    a: PersonRef
    b: PersonRef
    reasons: list[str]


class NotSame(Open):
    a: PersonRef
    b: PersonRef
    changed: bool = Field(description="false when nothing was new")


class Forgotten(Open):
    id: int
    name: str


class SnoozeRequest(BaseModel):
    days: int = Field(7, ge=1, le=MAX_SNOOZE_DAYS)
    action: str | None = None


class TripRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    city: str
    from_: str = Field(alias="from")
    to: str


class GatheringRequest(BaseModel):
    title: str
    at: str
    where: str
    invite: list[str] = []
    tag: str | None = None
    minutes: int = Field(180, ge=1, le=MAX_MINUTES)


class RsvpRequest(BaseModel):
    person: str = Field(description="id, exact name or platform:handle")
    answer: Literal["yes", "no", "maybe"]


class AttendedRequest(BaseModel):
    people: list[str] = Field(default=[], description="who came; default: who said yes")
