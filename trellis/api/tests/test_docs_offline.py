"""The API docs pages work with no request to another host and under the strict CSP."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from trellis.core.security import DEFAULT_POLICY_TEXT

DOCS_PAGES = ["/api/v1/docs", "/vc-api/docs"]
ABSOLUTE_URL = re.compile(r"""(?:https?:)?//[\w.-]+""", re.IGNORECASE)
ASSET = re.compile(r"""(?:src|href)="(/static/[^"]+)\"""")


@pytest.mark.parametrize("path", DOCS_PAGES)
def test_the_docs_page_names_no_other_host_and_keeps_the_strict_policy(client, path):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert ABSOLUTE_URL.findall(html) == []
    assert response["Content-Security-Policy"] == DEFAULT_POLICY_TEXT
    assets = ASSET.findall(html)
    assert sorted(assets) == [
        "/static/ninja/favicon.png",
        "/static/ninja/favicon.svg",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
        "/static/ninja/swagger-ui.css",
    ]
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset


@pytest.mark.parametrize("path", DOCS_PAGES)
def test_the_docs_settings_travel_as_json_data_with_the_validator_off(client, path):
    html = client.get(path).content.decode()

    assert '<script type="application/json" id="swagger-settings">' in html
    assert '"validatorUrl": null' in html
    # The only scripts are our own static files and the JSON data block: no inline code.
    scripts = re.findall(r"<script([^>]*)>", html)
    assert sorted(scripts) == sorted(
        [
            ' type="application/json" id="swagger-settings"',
            ' src="/static/ninja/swagger-ui-bundle.js"',
            ' src="/static/ninja/swagger-ui-init.js"',
        ]
    )
