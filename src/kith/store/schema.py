"""The tables. Their meaning is docs/architecture.md, "The data"; migrations live in `migrations/`.

Indexes are sized for 100,000 people and 5,000,000 interactions: every agenda candidate
query and every per-person history load is served by an index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

from kith.domain.model import Stage
from kith.domain.names import MAX_LENGTH, sort_key
from kith.domain.report import TREND_MONTHS
from kith.store.types import UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

BigId = BigInteger().with_variant(Integer(), "sqlite")


#: a text compared byte by byte on both back ends: PostgreSQL's "C" collation orders as
#: SQLite's own (BINARY), whatever the database's locale
Binary300 = String(MAX_LENGTH).with_variant(String(MAX_LENGTH, collation="C"), "postgresql")


def _name_fold(context: Any) -> str:
    """`people.name_fold` of a row written without one (kith.domain.names.sort_key); a
    writer that changes a name sets it too (kith.store.people.update_person)."""
    return sort_key(str(context.get_current_parameters()["name"]))


def _person_fk() -> Column[int]:
    return Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False)


people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False),
    Column("name_key", String(300), nullable=False),
    # the name as it is searched and sorted: no case, accents or punctuation
    Column("name_fold", Binary300, nullable=False, default=_name_fold, server_default=""),
    Column("notes", Text),
    Column("circle", SmallInteger),
    Column("city", String(200)),
    Column("country", String(2)),
    Column("lat", Float),
    Column("lon", Float),
    Column("timezone", String(64)),
    Column("birthday", Date),
    Column("birthday_md", SmallInteger),
    Column("organisation", String(300)),
    Column("role", String(300)),
    Column("paused", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_people_name_key", "name_key"),
    Index("ix_people_name_fold_id", "name_fold", "id"),
    Index("ix_people_circle", "circle"),
    Index("ix_people_birthday_md", "birthday_md"),
    Index("ix_people_lat_lon", "lat", "lon"),
)

tags = Table(
    "tags",
    metadata,
    _person_fk(),
    Column("tag", String(100), nullable=False),
    UniqueConstraint("person_id", "tag"),
    Index("ix_tags_tag", "tag"),
)

identities = Table(
    "identities",
    metadata,
    Column("id", Integer, primary_key=True),
    _person_fk(),
    Column("platform", String(20), nullable=False),
    Column("handle", String(320), nullable=False),
    Column("display", String(320)),
    UniqueConstraint("platform", "handle"),
    Index("ix_identities_person_id", "person_id"),
)

#: a touch logged by hand to someone: what the team cooldown counts as a pitch
_PITCH = "source = 'manual' AND direction = 'out'"

interactions = Table(
    "interactions",
    metadata,
    Column("id", BigId, primary_key=True),
    _person_fk(),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("direction", String(4), nullable=False),
    Column("text", Text),
    Column("word_count", Integer, nullable=False, default=0),
    Column("is_link_share", Boolean, nullable=False, default=False),
    Column("minutes", Integer),
    Column("source", String(32), nullable=False),
    Column("external_id", String(200)),
    Column("member", String(100)),
    UniqueConstraint("source", "external_id"),
    Index("ix_interactions_person_id_occurred_at", "person_id", "occurred_at"),
    Index("ix_interactions_occurred_at", "occurred_at"),
    # the team cooldown's pitches (kith.services.context.team_asks): a few rows among millions
    Index(
        "ix_interactions_pitches",
        "occurred_at",
        sqlite_where=text(_PITCH),
        postgresql_where=text(_PITCH),
    ),
)

facts = Table(
    "facts",
    metadata,
    Column("id", Integer, primary_key=True),
    _person_fk(),
    Column("text", Text, nullable=False),
    Column("event_on", Date),
    Column("private", Boolean, nullable=False, default=False),
    Column("noted_at", UTCDateTime, nullable=False),
    Column("member", String(100)),
    Index("ix_facts_person_id", "person_id"),
    Index("ix_facts_event_on", "event_on"),
)

invites = Table(
    "invites",
    metadata,
    Column("id", Integer, primary_key=True),
    _person_fk(),
    Column("asked_at", UTCDateTime, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("response", String(16), nullable=False, default="pending"),
    Column("responded_at", UTCDateTime),
    Column("scheduled_at", UTCDateTime),
    Column("place", String(300)),
    Column("member", String(100)),
    Index("ix_invites_person_id", "person_id"),
)


def _figure_columns() -> list[Column[Any]]:
    """One history's stored figures (kith.domain.summary): a person's in `person_stats`,
    one member's with a person in `member_stats`."""
    return [
        Column("as_of", Date, nullable=False),
        Column("stage", String(16), nullable=False),
        Column("stage_rank", SmallInteger, nullable=False),
        Column("strength", Float, nullable=False),
        Column("hours", Float, nullable=False),
        Column("first_contact", Date),
        Column("last_contact", Date),
        Column("last_touch", Date),
        Column("last_in", Date),
        Column("last_out", Date),
        Column("fading_from", Date),
        Column("unanswered", Integer, nullable=False),
        Column("out_mark", Date),
        Column("in_mark", Date),
        Column("count_in", Integer, nullable=False),
        Column("count_out", Integer, nullable=False),
        Column("ready", Boolean, nullable=False),
    ]


#: the figures an agenda candidate query reads, each behind an index
CANDIDATE_COLUMNS = (
    "strength",
    "last_contact",
    "last_in",
    "last_out",
    "fading_from",
    "out_mark",
    "in_mark",
    "stage_rank",
    "as_of",
)

person_stats = Table(
    "person_stats",
    metadata,
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    *_figure_columns(),
    *(Index(f"ix_person_stats_{name}", name) for name in CANDIDATE_COLUMNS),
)

#: in a team base, each member's own figures with each person they have a history with
#: (docs/team.md, "Per-member relationships"); `person_stats` holds the team's
member_stats = Table(
    "member_stats",
    metadata,
    Column("member", String(254), primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    *_figure_columns(),
    Index("ix_member_stats_person_id", "person_id"),
    *(Index(f"ix_member_stats_member_{name}", "member", name) for name in CANDIDATE_COLUMNS),
)


#: the days person_report counts people by: each stage's first day, the first call and
#: meeting, the last meeting
REPORT_DAY_COLUMNS = (
    *(f"{stage.value}_on" for stage in Stage),
    "first_call_on",
    "first_meeting_on",
    "last_met_on",
)


def _month_columns(prefix: str) -> list[Column[int]]:
    """`prefix`_m0 (the month of `as_of`) to `prefix`_m23 (23 months before)."""
    return [
        Column(f"{prefix}_m{n}", Integer, nullable=False, default=0) for n in range(TREND_MONTHS)
    ]


#: each person's part of `kith report` (kith.domain.report_figures), refreshed with
#: person_stats; the report sums these rows instead of reassessing every history
person_report = Table(
    "person_report",
    metadata,
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("as_of", Date, nullable=False),
    Column("computed_at", UTCDateTime, nullable=False),
    Column("basis", String(64), nullable=False),
    Column("stage", String(16), nullable=False),
    *(Column(f"{stage.value}_on", Date) for stage in Stage),
    Column("first_call_at", UTCDateTime),
    Column("first_call_on", Date),
    Column("first_meeting_at", UTCDateTime),
    Column("first_meeting_on", Date),
    Column("days_to_first_meeting", Integer),
    Column("last_met_on", Date),
    Column("talk", Integer, nullable=False),
    Column("links", Integer, nullable=False),
    Column("talk_year", Integer, nullable=False),
    Column("links_year", Integer, nullable=False),
    *_month_columns("talk"),
    *_month_columns("links"),
    Column("window_in", Integer, nullable=False),
    Column("window_out", Integer, nullable=False),
    # which rows are current (kith.store.report_figures.stale_ids)
    Index("ix_person_report_as_of_basis_computed_at", "as_of", "basis", "computed_at"),
    # each count by value reads a narrow index, not the whole row
    Index("ix_person_report_stage", "stage"),
    *(Index(f"ix_person_report_{name}", name) for name in REPORT_DAY_COLUMNS),
    Index("ix_person_report_days_to_first_meeting", "days_to_first_meeting"),
    Index("ix_person_report_window_out_window_in", "window_out", "window_in"),
)

trips = Table(
    "trips",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("city", String(200), nullable=False),
    Column("country", String(2)),
    Column("lat", Float),
    Column("lon", Float),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("member", String(100)),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_trips_ends_on", "ends_on"),
)

gatherings = Table(
    "gatherings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(300), nullable=False),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("place", String(300), nullable=False),
    Column("uid", String(100), nullable=False),
    Column("member", String(100)),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_gatherings_starts_at", "starts_at"),
    UniqueConstraint("uid"),
)

gathering_guests = Table(
    "gathering_guests",
    metadata,
    Column(
        "gathering_id",
        Integer,
        ForeignKey("gatherings.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("invitation", Text, nullable=False),
    Column("rsvp", String(16), nullable=False),
    Column("rsvp_at", UTCDateTime),
    Column("attended", Boolean, nullable=False),
    Index("ix_gathering_guests_person_id", "person_id"),
)

snoozes = Table(
    "snoozes",
    metadata,
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("action", String(32), primary_key=True),
    Column("until", Date, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_snoozes_until", "until"),
)

#: pairs the user said are two different people: the duplicates list leaves them out
#: (the lower id first; a pair goes when either person is forgotten or merged away)
distinct_people = Table(
    "distinct_people",
    metadata,
    Column("person_a", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("person_b", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("decided_at", UTCDateTime, nullable=False),
    Index("ix_distinct_people_person_b", "person_b"),
)

#: the members of a team base (docs/team.md); a base without any is a one-user base. A
#: removed member keeps their row (their history stays attributed) but cannot act.
members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("removed_at", UTCDateTime),
    # teammates see the words of this member's messages (`kith team share --texts`)
    Column("share_texts", Boolean, nullable=False, default=False, server_default=false()),
)

#: who wrote what, when, to whom (docs/team.md, "Audit"): append-only (triggers refuse
#: UPDATE and DELETE, migration 0012); `person_id` has no foreign key, so that forgetting a
#: person keeps the row that says so
audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("member", String(254)),
    Column("action", String(32), nullable=False),
    Column("person_id", Integer),
    Column("detail", Text, nullable=False, default="", server_default=""),
    Index("ix_audit_at", "at"),
    Index("ix_audit_person_id", "person_id"),
    Index("ix_audit_member", "member"),
)

#: the servers `kith sync` reads (docs/sync.md): settings and state as JSON text, never a
#: secret (only the name of what gives it)
sync_sources = Table(
    "sync_sources",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("settings", Text, nullable=False),
    Column("state", Text, nullable=False, default="{}", server_default="{}"),
    Column("member", String(254)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_run_at", UTCDateTime),
    Column("last_ok_at", UTCDateTime),
    Column("last_added", Integer, nullable=False, default=0, server_default="0"),
    Column("last_error", Text),
)

#: a team member's secrets, stored only as SHA-256 hashes: signed-in browser sessions, and
#: tokens (`invite`: a single-use join link; `api`: a bearer token for scripts)
member_sessions = Table(
    "member_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("seen_at", UTCDateTime, nullable=False),
    Index("ix_member_sessions_member_id", "member_id"),
)

member_tokens = Table(
    "member_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("label", String(100)),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime),
    Column("used_at", UTCDateTime),
    Column("revoked_at", UTCDateTime),
)

#: failed sign-ins, kept so that every server process counts the same (docs/team.md)
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("address", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_login_failures_at", "at"),
)

#: the team's do-not-contact list: anyone may add a person, only an owner may clear one
do_not_contact = Table(
    "do_not_contact",
    metadata,
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("member", String(254)),
    Column("created_at", UTCDateTime, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)
