"""Tenant isolation of every JSON API route with an id in its path, read from the OpenAPI
document: each operation is called with another district's (or, for personal objects, a
colleague's) id, as each role of our district, with a minimal valid body; the answer is
403/404, never the object. A positive control as the object's own district proves the id
names a reachable object."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from trellis.accounts.services import create_api_token
from trellis.api.v1.api import api
from trellis.dashboard.tests.isolation.crawl import (
    REACHED,
    REFUSED,
    fill,
    personal_target,
    spread,
    users_of,
    value_of,
)
from trellis.dashboard.tests.isolation.registry import (
    API_BODIES,
    API_PERSONAL,
    API_ROUTES,
    PUBLIC_API,
)
from trellis.dashboard.tests.isolation.world import World

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
OPERATIONS = {
    path: sorted(method.upper() for method in operations)
    for path, operations in SCHEMA["paths"].items()
    if "{" in path and path not in PUBLIC_API
}
HOW_TO_REGISTER = (
    "New routes are covered automatically; a route that cannot be exercised fails the test "
    "until it is covered: add {path!r} to API_ROUTES in "
    "trellis/dashboard/tests/isolation/registry.py (and to API_PERSONAL if the object belongs "
    "to one educator), or to PUBLIC_API with the reason it is public by design."
)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0])
    if "anyOf" in schema:
        return _resolve(schema["anyOf"][0])
    return schema


def minimal(schema: dict[str, Any]) -> Any:
    """The smallest value the schema accepts: required fields only, first enum choice."""
    schema = _resolve(schema)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {key: minimal(properties[key]) for key in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "uuid":
        return "00000000-0000-4000-8000-000000000000"
    if schema.get("format") == "date":
        return "2026-01-01"
    return "x" * max(1, schema.get("minLength", 1))


def _call(client: Client, path: str, method: str, url: str, rows: list):
    operation = SCHEMA["paths"][path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    if path in API_BODIES and content:
        body = fill(API_BODIES[path], rows)
        if "multipart/form-data" in content:
            return client.generic(method, url, _multipart(body), content_type=MULTIPART)
        return client.generic(method, url, json.dumps(body), content_type="application/json")
    if "application/json" in content:
        body = json.dumps(minimal(content["application/json"]["schema"]))
        return client.generic(method, url, body, content_type="application/json")
    return client.generic(method, url)


MULTIPART = "multipart/form-data; boundary=isolation"


def _multipart(fields: dict[str, str]) -> bytes:
    lines = []
    for key, value in fields.items():
        lines += ["--isolation", f'Content-Disposition: form-data; name="{key}"', "", value]
    return ("\r\n".join([*lines, "--isolation--", ""])).encode()


def _bearer(user) -> Client:
    _token, secret = create_api_token(user=user, name="isolation")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)


def _resolver(path: str):
    resolver = API_ROUTES.get(path)
    assert resolver is not None, HOW_TO_REGISTER.format(path=path)
    return resolver


def _url(path: str, rows: dict | None) -> tuple[str, list]:
    assert rows is not None, f"No object for {path}: build one in isolation/world.py."
    names = tuple(part[1:-1] for part in path.split("/") if part.startswith("{"))
    rows = spread(rows, names)
    url = path
    for name in names:
        url = url.replace("{" + name + "}", value_of(rows[name]))
    return url, list(rows.values())


def _leaks(clients: dict[str, Client], path: str, url: str, rows: list) -> list[str]:
    problems = []
    for role, client in clients.items():
        for method in OPERATIONS[path]:
            response = _call(client, path, method, url, rows)
            if response.status_code not in REFUSED:
                problems.append(f"{role}: {method} {url} -> {response.status_code}")
    return problems


def _reachable(people: list, path: str, url: str, rows: list) -> list[str]:
    tried = []
    for person in dict.fromkeys(people):
        client = _bearer(person)
        for method in OPERATIONS[path]:
            response = _call(client, path, method, url, rows)
            # 422 is Ninja's own body validation, which runs before any lookup.
            if response.status_code in REACHED - {422}:
                return []
            tried.append(f"{person.email}: {method} {url} -> {response.status_code}")
    return tried


@pytest.mark.parametrize("path", sorted(OPERATIONS))
def test_another_districts_object_is_out_of_reach(path: str, world: World, db: None) -> None:
    url, rows = _url(path, _resolver(path)(world, True, None))
    clients = {role: _bearer(user) for role, user in world.attackers.items()}

    leaks = _leaks(clients, path, url, rows)
    assert not leaks, "\n".join(leaks)
    tried = _reachable(world.insiders + users_of(rows), path, url, rows)
    assert not tried, "control: nobody of the object's district reached it:\n" + "\n".join(tried)


@pytest.mark.parametrize("path", sorted(API_PERSONAL & set(OPERATIONS)))
def test_a_colleagues_personal_object_is_out_of_reach(path: str, world: World, db: None) -> None:
    found, attacker = personal_target(_resolver(path), world)
    url, rows = _url(path, found)

    leaks = _leaks({"educator": _bearer(attacker)}, path, url, rows)
    assert not leaks, "\n".join(leaks)
    tried = _reachable(users_of(rows), path, url, rows)
    assert not tried, "control: the owner could not reach it:\n" + "\n".join(tried)


def test_the_registry_names_only_existing_api_routes() -> None:
    assert sorted(set(API_ROUTES) - set(SCHEMA["paths"])) == []
    assert sorted(API_PERSONAL - set(API_ROUTES)) == []
    assert sorted(set(PUBLIC_API) - set(SCHEMA["paths"])) == []
    assert sorted(set(API_BODIES) - set(API_ROUTES)) == []


def test_the_vc_api_has_no_object_routes() -> None:
    """The VC-API issues and verifies whole documents; if it grows an object route, crawl it."""
    from trellis.api.vc.api import vc_api

    paths = vc_api.get_openapi_schema(path_prefix="/vc-api/")["paths"]

    assert [path for path in paths if "{" in path] == []
