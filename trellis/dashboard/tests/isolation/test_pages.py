"""Tenant isolation of every page route with an id in its URL.

Each route is aimed at an object of the other district, as each role of our district, with
GET and an empty POST: the answer is 404 (not found) or 403/405, never the object. Personal
objects are also aimed at a colleague's object in our own district, as a plain educator. A
positive control, as the object's own district, proves the id names a reachable object (so a
404 means isolation, not a wrong fixture). See docs/testing-security.md.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from trellis.dashboard.tests.isolation.crawl import (
    REACHED,
    REFUSED,
    Route,
    describe,
    fill,
    page_routes,
    personal_target,
    signed_in,
    spread,
    users_of,
    value_of,
)
from trellis.dashboard.tests.isolation.registry import (
    KNOWN_ISSUES,
    NOT_OBJECTS,
    PERSONAL_VIEWS,
    POST_DATA,
    PUBLIC_VIEWS,
    VIEW_ROUTES,
)
from trellis.dashboard.tests.isolation.world import World

ROUTES = page_routes()
CRAWLED = [route for route in ROUTES if route.name not in PUBLIC_VIEWS | NOT_OBJECTS.keys()]
HOW_TO_REGISTER = (
    "New routes are covered automatically; a route that cannot be exercised fails the test "
    "until it is covered: add {name!r} to VIEW_ROUTES in "
    "trellis/dashboard/tests/isolation/registry.py (and to PERSONAL_VIEWS if the object "
    "belongs to one educator), or to PUBLIC_VIEWS with the reason it is public by design."
)


def _marked(routes: list[Route], prefix: str) -> list:
    marked = []
    for route in routes:
        reason = KNOWN_ISSUES.get(prefix + route.name)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        marked.append(pytest.param(route, marks=marks, id=route.name))
    return marked


def _resolver(route: Route):
    resolver = VIEW_ROUTES.get(route.name)
    assert resolver is not None, HOW_TO_REGISTER.format(name=route.name)
    return resolver


def _url(route: Route, rows: dict | None, where: str) -> tuple[str, list]:
    assert rows is not None, (
        f"No object for {route.name} in the {where} district: build one "
        "in trellis/dashboard/tests/isolation/world.py."
    )
    rows = spread(rows, route.kwargs)
    missing = set(route.kwargs) - set(rows)
    assert not missing, f"{route.name}: the registry gives no object for {sorted(missing)}"
    url = reverse(route.name, kwargs={key: value_of(rows[key]) for key in route.kwargs})
    return url, list(rows.values())


def _request(client, method: str, route: Route, url: str, rows: list):
    if method == "GET":
        return client.get(url)
    return client.post(url, fill(POST_DATA.get(route.name, {}), rows))


def _leaks(clients: dict[str, object], route: Route, url: str, rows: list) -> list[str]:
    problems = []
    for role, client in clients.items():
        for method in ("GET", "POST"):
            response = _request(client, method, route, url, rows)
            if response.status_code not in REFUSED:
                problems.append(f"{role}: {describe(method, url, response)}")
    return problems


def _reachable(people: list, route: Route, url: str, rows: list) -> list[str]:
    """Someone of the object's own district reaches it; returns what each tried otherwise."""
    tried = []
    for person in dict.fromkeys(people):
        client = signed_in(person)
        for method in ("GET", "POST"):
            response = _request(client, method, route, url, rows)
            if response.status_code in REACHED:
                return []
            tried.append(f"{person.email}: {describe(method, url, response)}")
    return tried


@pytest.mark.parametrize("route", _marked(CRAWLED, "other:"))
def test_another_districts_object_is_out_of_reach(route: Route, world: World, db: None) -> None:
    url, rows = _url(route, _resolver(route)(world, True, None), "other")
    clients = {role: signed_in(user) for role, user in world.attackers.items()}

    leaks = _leaks(clients, route, url, rows)
    assert not leaks, "\n".join(leaks)
    tried = _reachable(world.insiders + users_of(rows), route, url, rows)
    assert not tried, "control: nobody of the object's district reached it:\n" + "\n".join(tried)


PERSONAL = _marked([route for route in CRAWLED if route.name in PERSONAL_VIEWS], "personal:")


@pytest.mark.parametrize("route", PERSONAL)
def test_a_colleagues_personal_object_is_out_of_reach(route: Route, world: World, db: None) -> None:
    found, attacker = personal_target(_resolver(route), world)
    url, rows = _url(route, found, "same")

    leaks = _leaks({"educator": signed_in(attacker)}, route, url, rows)
    assert not leaks, "\n".join(leaks)
    tried = _reachable(users_of(rows), route, url, rows)
    assert not tried, "control: the owner could not reach it:\n" + "\n".join(tried)


def test_the_public_list_names_only_existing_routes() -> None:
    names = {route.name for route in ROUTES}

    assert sorted(set(PUBLIC_VIEWS) - names) == []
    assert sorted(set(NOT_OBJECTS) - names) == []
    assert sorted(set(VIEW_ROUTES) - names) == []
    assert sorted(PERSONAL_VIEWS - set(VIEW_ROUTES)) == []
    assert sorted(set(POST_DATA) - set(VIEW_ROUTES)) == []
