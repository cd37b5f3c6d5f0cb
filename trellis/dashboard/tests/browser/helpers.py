"""Steps the browser tests share: signing in and checking a page with axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
HOME_URL = re.compile(r"^https?://[^/]+/$")
DEMO_PASSWORD = "trellis-demo"  # the documented password of the demo accounts (DESIGN §7)


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form, as a person would, and wait for the home page."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page).to_have_url(HOME_URL)


def axe_violations(page: Page) -> list[dict]:
    if not AXE_PATH.is_file():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run `make install` (npm ci).")
    # Evaluated through DevTools rather than added as a <script>: the strict CSP refuses inline
    # scripts, and a test tool must not need the policy weakened.
    page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return results["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n         ")
                lines.append(f"       {summary}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


# axe-core only marks an aria-describedby/-labelledby that points at a missing id as "needs
# review", yet then the help text or error is never read out; so this is checked directly.
BROKEN_ID_REFERENCES = """() => {
  const broken = [];
  for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) broken.push(`${el.outerHTML.slice(0, 160)}: ${attr} -> #${id}`);
      }
    }
  }
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  for (const [id, count] of seen) if (count > 1) broken.push(`id "${id}" is used ${count} times`);
  return broken;
}"""


def assert_accessible(page: Page, where: str) -> None:
    """No axe-core violation of serious or critical impact; lesser ones are printed for the log."""
    broken = page.evaluate(BROKEN_ID_REFERENCES)
    assert not broken, f"broken id references on {where} ({page.url}):\n" + "\n".join(broken)
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    minor = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
    if minor:
        print(f"axe on {where} ({page.url}), minor or moderate:\n{describe(minor)}")
    assert not blocking, (
        f"axe-core found serious or critical problems on {where} ({page.url}):\n"
        + describe(blocking)
    )
