"""axe-core in the browser tests: the release pinned in package.json / package-lock.json at the repo
root (`make test` runs `npm ci` when the lock changes), not a copy bundled in a Python wrapper —
those lag behind and miss rules such as label-content-name-mismatch (WCAG 2.5.3).

`violations(page)` puts node_modules/axe-core/axe.min.js into the page and runs `axe.run` with the
WCAG 2.1 A/AA tags; `assert_accessible(page, where)` fails the test with every violation listed.
The site's CSP (script-src 'self', no inline script) stays on: rather than an inline copy (which
the CSP refuses), `page.add_script_tag` loads the file from a same-origin address that the test
itself answers from disk (`page.route`), so the scan sees the page exactly as a visitor gets it."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin

from playwright.sync_api import Page, Route

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERVED_AT = "/__e2e/axe-core/axe.min.js"  # answered by the test (page.route), never by the portal
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

_RUN = "async (options) => { const result = await window.axe.run(document, options);" \
       " return {version: window.axe.version, violations: result.violations}; }"


def axe_script() -> Path:
    """The pinned axe-core, or a failure that says how to get it (never a skip)."""
    if not AXE_JS.is_file():
        raise AssertionError(f"axe-core is not installed: {AXE_JS} is missing. Run `make test` (or `npm ci "
                             f"--no-audit --no-fund` at {ROOT}) to install the version pinned in package-lock.json.")
    return AXE_JS


def pinned_version() -> str:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/axe-core"]["version"]


def violations(page: Page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        inject(page)
    answer = page.evaluate(_RUN, OPTIONS)
    assert answer["version"] == pinned_version(), f"axe-core {answer['version']} ran, the lock pins {pinned_version()}"
    return answer["violations"]


def inject(page: Page) -> None:
    script = axe_script()
    url = urljoin(page.url, SERVED_AT)

    def serve(route: Route) -> None:
        route.fulfill(path=str(script), content_type="text/javascript; charset=utf-8")

    page.route(url, serve)
    try:
        page.add_script_tag(url=url)
    finally:
        page.unroute(url, serve)


def describe(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['id']} ({v.get('impact')}): {v['help']} — {v.get('helpUrl', '')}")
        for node in v["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '')}"
                         .replace("\n", " "))
    return "\n".join(lines)


def assert_accessible(page: Page, where: str) -> None:
    found = violations(page)
    assert not found, f"axe found {len(found)} WCAG 2.1 A/AA violation(s) on {where}:\n{describe(found)}"
