"""A journey: one user's walk through the pages, with a screenshot and an axe-core check of
every page it shows. Journeys read like what a person does; see docs/testing.md."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.factories import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Locator, Page, Response

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"
# `make install` copies axe-core from node_modules to the static files; the page loads it from
# its own origin, because the Content-Security-Policy (rightly) refuses inline scripts, which is
# what Playwright's add_script_tag(path=...) would insert.
AXE_SCRIPT = REPO / "build" / "static" / "vendor" / "axe.min.js"
AXE_URL = "/static/vendor/axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN_AXE = """tags => axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
})"""


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {' '.join(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


class Journey:
    def __init__(self, page: Page, name: str) -> None:
        self.page = page
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.steps: list[str] = []
        self.browser_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.browser_errors.append(str(error)))

    def _on_console(self, message: ConsoleMessage) -> None:
        # CSP refusals and script errors show up as console errors.
        if message.type == "error":
            self.browser_errors.append(message.text)

    # What a person does -------------------------------------------------------------------

    def visit(self, path: str, step: str, *, status: int = 200) -> None:
        """Open a URL directly (as if typed or bookmarked) and check the page."""
        self._arrive(self.page.goto(path), step, status)

    def follow(self, target: Locator, step: str, *, status: int = 200) -> None:
        """Click a link or button that loads a new page, then check that page."""
        self.submit(target.click, step, status=status)

    def submit(self, action: Callable[[], object], step: str, *, status: int = 200) -> None:
        """Run ``action`` (typing Enter, clicking …) that loads a page, then check that page."""
        with self.page.expect_navigation() as navigation:
            action()
        self._arrive(navigation.value, step, status)

    def _arrive(self, response: Response | None, step: str, status: int) -> None:
        assert response is not None
        assert response.status == status, (
            f"{response.url}: HTTP {response.status}, expected {status}"
        )
        if status >= 400:  # the browser logs the expected error status; that is no fault
            expected = f"the server responded with a status of {status}"
            self.browser_errors = [e for e in self.browser_errors if expected not in e]
        self.check(step)

    def log_in(self, username: str, password: str = PASSWORD, *, step: str = "home") -> None:
        self.visit("/konto/anmelden/", "login")
        self.page.get_by_label("Benutzername").fill(username)
        self.page.get_by_label("Passwort").fill(password)
        self.follow(self.page.get_by_role("button", name="Anmelden"), step)

    def log_out(self) -> None:
        self.follow(self.page.get_by_role("button", name="Abmelden"), "logged-out")
        assert "/konto/anmelden/" in self.page.url

    # Evidence -----------------------------------------------------------------------------

    def check(self, step: str) -> None:
        """Screenshot the page, then require zero WCAG 2.1 AA violations and no browser errors."""
        self.page.wait_for_load_state("load")
        self.steps.append(step)
        shot = self.folder / f"{len(self.steps):02d}-{step}.png"
        self.page.screenshot(path=shot, full_page=True)
        violations = self.axe_violations()
        assert not violations, (
            f"axe-core found WCAG 2.1 AA violations on {self.page.url} (step {step!r}, "
            f"screenshot {shot.relative_to(REPO)}):\n{describe_violations(violations)}"
        )
        assert not self.browser_errors, f"Browser errors on {self.page.url}: {self.browser_errors}"

    def axe_violations(self) -> list[dict[str, Any]]:
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.add_script_tag(url=AXE_URL)
        result: dict[str, Any] = self.page.evaluate(_RUN_AXE, WCAG_21_AA)
        return list(result["violations"])

    def text(self) -> str:
        return self.page.locator("body").inner_text()
