"""Role × page and action: every route without URL parameters that is guarded by
`@district_view(Perm.X)` is requested (GET) by each role of district A. The expected answer
comes from the guard's own Perm and the ROLE_PERMISSIONS table, so the matrix cannot drift:
a role holding the Perm gets the page (never 403 or 5xx), any other role gets 403.

New pages join automatically. The table is printed with `pytest -s -k matrix_table`.
"""

from __future__ import annotations

import inspect

import pytest
from django.urls import reverse

from trellis.dashboard.tests.isolation.crawl import Route, _walk, signed_in
from trellis.districts.permissions import ROLE_PERMISSIONS, Perm

CAST_ROLES = {  # cast member: the roles the conftest gives them
    "alice": ("educator",),
    "carol": ("coach", "educator"),
    "ada": ("assessor", "educator"),
    "pat": ("approver", "educator"),
    "dana": ("district_admin",),
}


def guard_perm(view) -> Perm | None:
    """The Perm a `district_view` guard closes over, found along the `__wrapped__` chain."""
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        if inspect.isfunction(view):
            found = inspect.getclosurevars(view).nonlocals.get("perm")
            if isinstance(found, Perm):
                return found
        view = getattr(view, "__wrapped__", None)
    return None


def _guarded_pages() -> list[tuple[Route, Perm]]:
    from django.urls import get_resolver

    pages = {}
    resolver = get_resolver()
    for route in _walk(resolver.url_patterns, "", "", ()):
        if route.kwargs or not route.name or route.template.startswith(("api/", "vc-api/")):
            continue
        callback = resolver.resolve("/" + route.template).func
        perm = guard_perm(callback)
        if perm is not None:
            pages.setdefault(route.name, (route, perm))
    return sorted(pages.values(), key=lambda entry: entry[0].name)


PAGES = _guarded_pages()


def holds(member: str, perm: Perm) -> bool:
    return any(perm in ROLE_PERMISSIONS[role] for role in CAST_ROLES[member])


@pytest.mark.parametrize(("route", "perm"), PAGES, ids=[route.name for route, _ in PAGES])
def test_each_role_gets_the_page_exactly_when_it_holds_the_guards_perm(
    cast, route: Route, perm: Perm
) -> None:
    url = reverse(route.name)
    wrong = []
    for member in CAST_ROLES:
        client = signed_in(getattr(cast, member))
        status = client.get(url).status_code
        if status == 405:  # an action: ask with an empty POST (the guard runs before the form)
            status = client.post(url).status_code
        allowed = holds(member, perm)
        if (allowed and (status == 403 or status >= 500)) or (not allowed and status != 403):
            wrong.append(f"{member} ({'has' if allowed else 'lacks'} {perm.value}): {status}")

    assert not wrong, f"{url}:\n" + "\n".join(wrong)


def test_the_crawl_finds_the_guarded_pages() -> None:
    perms = {route.name: perm for route, perm in PAGES}

    assert len(perms) > 40
    assert perms.get("credentials:admin_keys") == Perm.MANAGE_CREDENTIALS


def test_matrix_table() -> None:
    """Prints role × page; run with -s to read it."""
    lines = [f"{'page':45} {'perm':28} " + " ".join(f"{m:>5}" for m in CAST_ROLES)]
    for route, perm in PAGES:
        cells = " ".join(f"{'yes' if holds(m, perm) else '403':>5}" for m in CAST_ROLES)
        lines.append(f"{route.name:45} {perm.value:28} {cells}")
    print("\n".join(lines))
    assert len(lines) == len(PAGES) + 1
