"""Every response carries the strict Content-Security-Policy, and no template needs to relax it.

The crawl requests every URL without parameters in the resolver (new routes are covered
automatically) as a district admin and as an educator, plus a few detail pages. The template
scan reads every template directory, including apps added later.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from trellis.catalog.tests.factories import OfferingFactory
from trellis.core.security import DEFAULT_POLICY_TEXT, ContentSecurityPolicyMiddleware
from trellis.growth.tests.factories import GoalFactory

STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def fixed_paths(resolver: URLResolver | None = None, prefix: str = "/") -> list[str]:
    """Every URL in the resolver that takes no parameters, once each, in resolver order."""
    found: list[str] = []
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            if pattern.converters:
                continue
            part = str(pattern)
        else:  # a regex pattern: only a plain one without groups is a fixed URL
            if pattern.regex.groups:
                continue
            part = str(pattern).removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        if isinstance(entry, URLResolver):
            found.extend(fixed_paths(entry, prefix + part))
        elif isinstance(entry, URLPattern) and prefix + part not in found:
            found.append(prefix + part)
    return found


def test_the_policy_is_the_strict_one_without_unsafe_inline():
    assert DEFAULT_POLICY_TEXT == STRICT_POLICY
    assert "unsafe" not in DEFAULT_POLICY_TEXT


def test_an_anonymous_page_carries_the_policy(db):
    response = Client().get("/accounts/login/")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == STRICT_POLICY


def test_a_view_that_sets_its_own_policy_keeps_it():
    def sandboxed(request):
        response = HttpResponse("file")
        response["Content-Security-Policy"] = "sandbox"
        return response

    response = ContentSecurityPolicyMiddleware(sandboxed)(RequestFactory().get("/x"))

    assert response["Content-Security-Policy"] == "sandbox"


def test_the_crawl_finds_the_main_pages():
    paths = fixed_paths()

    for expected in ("/", "/accounts/login/", "/catalog/", "/growth/", "/credentials/", "/healthz"):
        assert expected in paths
    assert not [p for p in paths if "<" in p or "(" in p]


@pytest.mark.parametrize("who", ["dana", "alice"])
def test_every_page_without_parameters_carries_the_policy(cast, who):
    client = Client(raise_request_exception=False)
    client.force_login(getattr(cast, who), backend="trellis.accounts.backends.EmailBackend")
    missing, failed = [], []
    for path in fixed_paths():
        response = client.get(path)
        if response.get("Content-Security-Policy") != STRICT_POLICY:
            missing.append(f"{path} ({response.status_code})")
        if response.status_code >= 500:
            failed.append(f"{path} ({response.status_code})")

    assert missing == []
    assert failed == []


def test_detail_pages_carry_the_policy(cast, client_for):
    offering = OfferingFactory(district=cast.district_a)
    goal = GoalFactory(district=cast.district_a, educator=cast.alice)
    admin, educator = client_for(cast.dana), client_for(cast.alice)
    pages = [
        (admin, reverse("catalog:offering", args=[offering.public_id])),
        (admin, reverse("growth:person", args=[cast.alice.public_id])),
        (educator, reverse("catalog:offering", args=[offering.public_id])),
        (educator, reverse("growth:goal", args=[goal.public_id])),
    ]
    for client, path in pages:
        response = client.get(path)

        assert (path, response.status_code) == (path, 200)
        assert response["Content-Security-Policy"] == STRICT_POLICY


def test_error_pages_carry_the_policy(cast, client_for):
    response = client_for(cast.alice).get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Security-Policy"] == STRICT_POLICY


# --- the template scan ----------------------------------------------------------------------

# Checked per tag, so attributes on a tag's later lines are seen too.
TAG = re.compile(r"<[a-zA-Z][^<>]*>")
SCRIPT_WITH_CODE = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)", re.IGNORECASE)
# Typed data islands (JSON) are not executed, so the policy does not block them.
DATA_SCRIPT = re.compile(r"<script\b[^>]*\btype=[\"']application/(ld\+)?json[\"']", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
HTMX_INLINE_CODE = re.compile(r"\shx-on[:\-]|\shx-vals=[\"']\s*(js|javascript):", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)
# The one allowed javascript: URL: the informal-learning "Log this" bookmarklet, which people
# drag to their bookmarks bar (it runs on other sites, never on ours). Only in that app's
# templates, and only in a tag that names itself as the bookmarklet.
BOOKMARKLET_DIR = Path("trellis") / "informal" / "templates"


def template_dirs() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return [base / "templates", *sorted(base.glob("trellis/*/templates"))]


def template_files() -> list[Path]:
    return sorted(p for d in template_dirs() for p in d.rglob("*") if p.suffix in {".html", ".txt"})


def inline_code_problems(relative: Path, text: str) -> list[str]:
    problems = []

    def found(offset: int, what: str) -> None:
        problems.append(f"{relative}:{text.count(chr(10), 0, offset) + 1}: {what}")

    for match in SCRIPT_WITH_CODE.finditer(text):
        if not DATA_SCRIPT.match(text, match.start()):
            found(match.start(), "inline <script> with code")
    for match in STYLE_ELEMENT.finditer(text):
        found(match.start(), "<style> element")
    for match in TAG.finditer(text):
        tag = match.group()
        if EVENT_HANDLER.search(tag):
            found(match.start(), "on…= event handler attribute")
        if STYLE_ATTRIBUTE.search(tag):
            found(match.start(), "style= attribute")
        if HTMX_INLINE_CODE.search(tag):
            found(match.start(), "htmx inline code (hx-on / js: values)")
    for match in JAVASCRIPT_URL.finditer(text):
        tag = next(
            (t.group() for t in TAG.finditer(text) if t.start() < match.start() < t.end()), ""
        )
        if not (relative.is_relative_to(BOOKMARKLET_DIR) and "bookmarklet" in tag.lower()):
            found(match.start(), "javascript: URL")
    return problems


def test_the_scan_covers_every_apps_templates():
    dirs = {d.relative_to(settings.BASE_DIR).as_posix() for d in template_dirs()}

    assert {"templates", "trellis/growth/templates", "trellis/catalog/templates"} <= dirs
    assert len(template_files()) > 50


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("<script>alert(1)</script>", "inline <script> with code"),
        ("<script type='text/javascript'>", "inline <script> with code"),
        ('<button onclick="go()">', "on…= event handler attribute"),
        ('<p class="x" style="color: red">', "style= attribute"),
        ("<style>p { color: red }</style>", "<style> element"),
        ('<p class="x"\n   style="color: red">', "style= attribute"),
        ('<button hx-on:click="go()">', "htmx inline code (hx-on / js: values)"),
        ('<a href="javascript:void(0)">', "javascript: URL"),
    ],
)
def test_the_scan_catches_each_kind_of_inline_code(line, expected):
    assert inline_code_problems(Path("templates/x.html"), line) == [
        f"templates/x.html:1: {expected}"
    ]


@pytest.mark.parametrize(
    "line",
    [
        '<script src="/static/js/trellis.js" defer></script>',
        '<script type="application/json" id="data">{"a": 1}</script>',
        "<p>Use the stylesheet; nothing styled inline.</p>",
        '<input name="online" data-on="1">',
    ],
)
def test_the_scan_allows_external_scripts_and_data(line):
    assert inline_code_problems(Path("templates/x.html"), line) == []


def test_the_bookmarklet_exception_is_narrow():
    line = '<a class="bookmarklet" href="javascript:(function(){})()">Log this</a>'

    assert inline_code_problems(BOOKMARKLET_DIR / "informal" / "log.html", line) == []
    assert inline_code_problems(Path("trellis/growth/templates/growth/x.html"), line) == [
        "trellis/growth/templates/growth/x.html:1: javascript: URL"
    ]
    assert inline_code_problems(
        BOOKMARKLET_DIR / "informal" / "log.html", '<a href="javascript:go()">Go</a>'
    ) == ["trellis/informal/templates/informal/log.html:1: javascript: URL"]


def test_no_template_has_inline_script_or_style():
    base = Path(settings.BASE_DIR)
    problems = [
        problem
        for path in template_files()
        for problem in inline_code_problems(
            path.relative_to(base), path.read_text(encoding="utf-8")
        )
    ]

    assert problems == []


def test_the_server_error_page_is_styled_by_the_stylesheet_under_the_policy(rf):
    from django.contrib.auth.models import AnonymousUser

    from trellis.dashboard.views import server_error

    request = rf.get("/")
    request.user = AnonymousUser()
    request.access = None

    response = ContentSecurityPolicyMiddleware(server_error)(request)

    assert response.status_code == 500
    assert response["Content-Security-Policy"] == STRICT_POLICY
    assert b'<link rel="stylesheet" href="/static/css/trellis.css">' in response.content
    assert b"style=" not in response.content
