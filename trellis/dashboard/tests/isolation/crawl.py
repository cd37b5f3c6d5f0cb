"""Route enumeration and the request/verdict helpers the isolation tests share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from trellis.accounts.models import User

# A refusal: not found (the object is invisible), forbidden (the role lacks the permission),
# wrong method (a POST-only action asked with GET).
REFUSED = {403, 404, 405}
# Reaching the object: the page, a redirect after the action, or the action's own validation
# error (which runs only once the object was found).
REACHED = {200, 201, 204, 301, 302, 303, 400, 409, 422, 429}


@dataclass(frozen=True)
class Route:
    name: str
    template: str
    kwargs: tuple[str, ...]


def _walk(patterns: list[Any], prefix: str, namespace: str, kwargs: tuple[str, ...]):
    for entry in patterns:
        converters = tuple(getattr(entry.pattern, "converters", {}))
        regex_groups = tuple(entry.pattern.regex.groupindex)
        names = kwargs + (converters or regex_groups)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner, names)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield Route(name=name, template=prefix + str(entry.pattern), kwargs=names)


def page_routes() -> list[Route]:
    """Every named page route with URL parameters (the JSON APIs are crawled separately)."""
    found = {}
    for route in _walk(get_resolver().url_patterns, "", "", ()):
        if not route.kwargs or route.template.startswith(("api/", "vc-api/")):
            continue
        found.setdefault(route.name, route)
    return sorted(found.values(), key=lambda route: route.name)


def value_of(row: Any) -> str:
    return str(row.public_id) if isinstance(row, Model) else str(row)


def users_of(rows: list[Any]) -> list[User]:
    """The people a row is about (owner, educator, assessor, coach…): the positive control."""
    people = []
    for row in rows:
        if isinstance(row, User):
            people.append(row)
            continue
        for field in row._meta.fields:
            if field.is_relation and field.related_model is User:
                person = getattr(row, field.name)
                if person is not None:
                    people.append(person)
    return people


def signed_in(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="trellis.accounts.backends.EmailBackend")
    return client


def describe(method: str, url: str, response: Any) -> str:
    where = response.get("Location", "")
    return f"{method} {url} -> {response.status_code}" + (f" ({where})" if where else "")


def personal_target(resolver: Any, world: Any) -> tuple[dict[str, Any] | None, User]:
    """A personal object of our district and the plain educator who must not reach it: a
    colleague's object against our educator, or else our educator's against the colleague."""
    rows = resolver(world, False, None)
    if rows is not None:
        return rows, world.educator
    return resolver(world, False, world.educator), world.colleague


def spread(rows: dict[str, Any], kwargs: tuple[str, ...]) -> dict[str, Any]:
    """`{"*": row}` names the row for every URL kwarg; other keys stay (e.g. "_control")."""
    if "*" not in rows:
        return rows
    rest = {key: value for key, value in rows.items() if key != "*"}
    return {**dict.fromkeys(kwargs, rows["*"]), **rest}


def fill(data: dict[str, Any], rows: list) -> dict[str, Any]:
    """Form or JSON data with "{part}" replaced by a requirement part (an artifact part if
    there is one) of the submission among `rows`, "{enrollment}" by a completed enrolment of
    the submission's educator."""
    filled = {}
    for key, value in data.items():
        if value in ("{part}", "{enrollment}"):
            submission = next(row for row in rows if hasattr(row, "version_id"))
        if value == "{part}":
            parts = submission.version.parts.order_by("pk")
            value = str((parts.filter(kind="artifact").first() or parts.first()).public_id)
        elif value == "{enrollment}":
            completed = submission.educator.enrollments.filter(status="completed").first()
            value = str(completed.public_id)
        filled[key] = value
    return filled
