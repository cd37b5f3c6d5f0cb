"""Property-based fuzzing of the JSON API with schemathesis, in process (Django's WSGI app, no
network): every operation of /api/v1/openapi.json gets generated requests as each role of the
test cast; none may answer 5xx, and every answer must match the documented schema.

Budget: a few examples per operation and role (derandomized, so failures reproduce); the
suite runs in `make test`. Raise FUZZ_EXAMPLES locally for a deeper run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from trellis.accounts.services import create_api_token
from trellis.api.v1.api import api

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
FUZZ = schemathesis.openapi.from_dict(SCHEMA)
OPERATIONS = sorted(
    (result.ok() for result in FUZZ.get_all_operations()), key=lambda operation: operation.label
)
ROLES = ["alice", "carol", "ada", "pat", "dana"]  # educator, coach, assessor, approver, admin


@pytest.fixture
def wsgi_app(db: None) -> Iterator[object]:
    """Django's WSGI app inside the test's transaction: like django.test.Client, keep Django
    from closing the connection at each request's start and end."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _fuzz(operation, app: object, headers: dict[str, str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def fuzz(case) -> None:
        response = case.call(app=app, headers=headers)
        case.validate_response(
            response, checks=[not_a_server_error, response_schema_conformance], headers=headers
        )

    fuzz()


@pytest.mark.parametrize("role", ROLES)
def test_no_input_breaks_the_api(role: str, cast, wsgi_app) -> None:
    """One role per test (the cast is built once per role); every operation is fuzzed, and
    every failing operation is reported, not only the first."""
    _token, secret = create_api_token(user=getattr(cast, role), name="fuzz")
    headers = {"Authorization": f"Bearer {secret}"}
    failures = []
    for operation in OPERATIONS:
        try:
            _fuzz(operation, wsgi_app, headers)
        except Exception as error:
            failures.append(f"{operation.label}: {str(error)[:1500]}")

    assert not failures, "\n\n".join(failures)


def _schema_classes() -> dict[str, set[str]]:
    """Each schema name used by an operation's parameters or responses → the classes behind it."""
    import inspect

    from ninja import Schema

    found: dict[str, set[str]] = {}

    def note(candidate: object) -> None:
        if inspect.isclass(candidate) and issubclass(candidate, Schema):
            found.setdefault(candidate.__name__, set()).add(
                f"{candidate.__module__}.{candidate.__qualname__}"
            )
        for inner in getattr(candidate, "__args__", ()) or ():
            note(inner)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for parameter in inspect.signature(operation.view_func).parameters.values():
                    note(parameter.annotation)
                note(inspect.signature(operation.view_func).return_annotation)
    return found


def test_schema_names_are_unique_so_the_openapi_document_is_true() -> None:
    """Two Schema classes with one name share one entry in components/schemas: one of the
    operations is then documented (and fuzzed) with the other's body."""
    clashes = {name: classes for name, classes in _schema_classes().items() if len(classes) > 1}

    assert clashes == {}
