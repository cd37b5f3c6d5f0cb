"""The Swagger UI of /api/v1/docs and /vc-api/docs renders in Chromium from our own static
files: no request leaves the server, no CSP violation, the operations are listed."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .test_content_security_policy import REPORT_VIOLATIONS, VIOLATION


@pytest.mark.parametrize(
    ("path", "operation"),
    [("/api/v1/docs", "/api/v1/me"), ("/vc-api/docs", "/vc-api/credentials/verify")],
)
def test_the_api_docs_render_offline_under_the_strict_policy(
    new_context, live_server, transactional_db, path, operation
) -> None:
    context = new_context()
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    own_host = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []
    problems: list[str] = []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if urlsplit(request.url).scheme in {"http", "https"}
            and urlsplit(request.url).netloc != own_host
            else None
        ),
    )
    page.on(
        "console",
        lambda message: problems.append(message.text) if VIOLATION.search(message.text) else None,
    )
    page.on("pageerror", lambda error: problems.append(f"script error {error}"))

    response = page.goto(path)

    assert response is not None
    assert response.status == 200
    expect(page.get_by_text(operation, exact=True).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert elsewhere == []
    assert problems == []
