"""The JSON API under schemathesis: every operation of /openapi.json, run in-process against
the ASGI app over the demo base, with the session cookie and its CSRF token so that writes are
really made. No answer is a server error, and every answer is one the document describes: its
status code, its content type and its body's schema. Then the same over a team base: its
owner's bearer token gets no server error, and the same requests without it get 401."""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi import checks as openapi_checks

from kith.api import Kith
from kith.web.app import create_app
from kith.web.signin import PUBLIC
from tests.web.conftest import UPLOAD_LIMIT, clock

#: the address the app answers (its host check refuses schemathesis's own "testserver")
HOST = "127.0.0.1"
BASE_URL = f"http://{HOST}"
#: examples drawn per operation by the fuzzing phase (the coverage phase adds its own cases);
#: `KITH_SCHEMATHESIS_EXAMPLES` draws more (benchmarks/reliability.py)
EXAMPLES = int(os.environ.get("KITH_SCHEMATHESIS_EXAMPLES", "15"))
#: the team base's run (every case is sent twice: as the owner, then without a token)
TEAM_EXAMPLES = max(5, EXAMPLES // 3)
#: the same cases on every run (with Hypothesis's `derandomize`)
SEED = 13
#: at least this many writes answered 2xx (the run is not refused by the CSRF check)
WRITES_MADE = 20

#: what every answer is held to. Left out, and why:
#: * positive_data_acceptance: a request the schema allows can still be refused with 422 by
#:   a rule no JSON Schema can say (a time in the future, a city the gazetteer does not know,
#:   a trip that ends before it starts, nothing to snooze today, a gathering without guests);
#:   those refusals are documented (422, one sentence) and status_code_conformance holds them.
#: * use_after_free, ensure_resource_availability: they follow links between operations
#:   (the stateful phase), which a per-operation run does not make.
#: * ignored_auth: the document declares no security scheme (a one-user base needs none);
#:   the team base's sign-in is tested below and in test_authorisation.py.
CHECKS: list[CheckFunction] = [
    not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.negative_data_rejection,
    openapi_checks.unsupported_method,
    openapi_checks.allow_header_conformance,
]


class Run:
    """The app as schemathesis sees it, what every request carries, and what was answered."""

    def __init__(self, schema: Any, headers: dict[str, str], people: list[int]) -> None:
        self.schema = schema
        self.headers = headers
        self.people = people
        self.answers: Counter[tuple[str, int]] = Counter()

    def really_wrote(self) -> None:
        """The run's writes got past the CSRF check and sign-in: not 403 or 401 each time."""
        written = sum(
            n for (method, status), n in self.answers.items() if method != "GET" and status < 300
        )
        print(f"schemathesis: {self.answers.total()} cases, {written} writes made")
        assert written >= WRITES_MADE, self.answers


@pytest.fixture
def run(app: Any, base: Kith) -> Iterator[Run]:
    with TestClient(app, base_url=BASE_URL) as client:
        token = client.get("/api/session").json()["csrf_token"]
        cookie = client.cookies["kith_session"]
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", app, config=schemathesis.Config(seed=SEED), headers={"Host": HOST}
    )
    schema.config.update(base_url=BASE_URL)
    people = [int(p["id"]) for p in base.people(limit=200)]
    headers = {"X-CSRF-Token": token, "Cookie": f"kith_session={cookie}"}
    done = Run(schema, headers, people)
    yield done
    asgi.shutdown_lifespans()
    done.really_wrote()


@pytest.fixture
def api_schema(run: Run) -> Any:
    return run.schema


schema = schemathesis.pytest.from_fixture("api_schema")


def _a_person(case: Case, people: list[int]) -> None:
    """A drawn person id is almost never a person of the base, and the operation would only
    answer 404: a valid case names one of the demo base's people instead (the same one for
    the same drawn id), so that writes are really made."""
    if not case.path_parameters or "person_id" not in case.path_parameters:
        return
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    drawn = case.path_parameters["person_id"]
    case.path_parameters["person_id"] = random.Random(str(drawn)).choice(people)


def checks_for(case: Case) -> list[CheckFunction]:
    if case.media_type == "multipart/form-data":
        # every field of a multipart form is text: a number or an object drawn for a string
        # field (`me`, `tz`) arrives as a string, which the schema allows, so that
        # negative_data_rejection would count a valid upload as invalid data accepted (the
        # fields' own rules are tested in test_imports.py)
        return [c for c in CHECKS if c is not openapi_checks.negative_data_rejection]
    return CHECKS


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_documented(case: Case, run: Run) -> None:
    _a_person(case, run.people)
    response = case.call_and_validate(headers=run.headers, checks=checks_for(case))
    run.answers[(case.method, response.status_code)] += 1


# -- a team base ------------------------------------------------------------------------------
OWNER, SECRET = "ana@example.org", "correct horse battery"


@pytest.fixture
def team_run(demo_url: str) -> Iterator[Run]:
    """The demo base made a team base, its owner acting through a bearer token (no CSRF
    token: no browser sends that header by itself)."""
    with Kith(demo_url, clock_fn=clock) as setup:
        setup.team_init(OWNER, "Ana", SECRET)
    with Kith(demo_url, clock_fn=clock, member=OWNER) as owner:
        bearer = owner.team_token(OWNER, "schemathesis")
        people = [int(p["id"]) for p in owner.people(limit=200)]
    served = Kith(demo_url, clock_fn=clock, pooled=True)
    app = create_app(served, max_upload_bytes=UPLOAD_LIMIT, warm=False)
    with TestClient(app, base_url=BASE_URL) as client:  # the document needs a member too
        token = client.get("/api/session").json()["csrf_token"]
        signed = {"email": OWNER, "password": SECRET}
        assert client.post("/api/login", json=signed, headers={"X-CSRF-Token": token}).is_success
        member = client.cookies["kith_member"]
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json",
        app,
        config=schemathesis.Config(seed=SEED),
        headers={"Host": HOST, "Cookie": f"kith_member={member}"},
    )
    schema.config.update(base_url=BASE_URL)
    done = Run(schema, {"Authorization": f"Bearer {bearer}"}, people)
    yield done
    asgi.shutdown_lifespans()
    served.close()
    done.really_wrote()


@pytest.fixture
def team_api_schema(team_run: Run) -> Any:
    return team_run.schema


team_schema = schemathesis.pytest.from_fixture("team_api_schema")


@team_schema.parametrize()
@settings(
    max_examples=TEAM_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_a_team_base_answers_its_members_and_no_one_else(case: Case, team_run: Run) -> None:
    _a_person(case, team_run.people)
    response = case.call_and_validate(headers=team_run.headers, checks=checks_for(case))
    team_run.answers[(case.method, response.status_code)] += 1
    if not case.path.startswith(PUBLIC):
        # the same request without the token: signed out, whatever it asks
        stranger = case.call()
        assert stranger.status_code == 401, (case.method, case.path, stranger.text)
        assert stranger.json()["detail"] == "Sign in first (POST /api/login)."
