"""Keyboard only: log in and find a household with Tab and Enter, nothing else.

Checks the skip link, a sensible focus order (header, navigation, content) and that every
element that takes focus shows it."""

from __future__ import annotations

from typing import Any

import pytest

from ankommen.core.models import Role
from tests.e2e.conftest import World
from tests.e2e.journey import Journey

pytestmark = pytest.mark.slow

_FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        name: (label || el.getAttribute('aria-label') || el.innerText || el.value || '').trim(),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        visible: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
            && box.left < window.innerWidth && box.top < window.innerHeight,
    };
}"""


class Keyboard:
    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self.page = journey.page

    def focused(self) -> dict[str, Any]:
        result: dict[str, Any] = self.page.evaluate(_FOCUSED)
        return result

    def tab(self) -> dict[str, Any]:
        self.page.keyboard.press("Tab")
        now = self.focused()
        assert now["visible"], f"focus went to an invisible element: {now}"
        assert now["outline"], f"focus is not shown on {now}"
        return now

    def tab_to(self, name: str, *, limit: int = 30) -> list[str]:
        """Tab until the element called ``name`` has focus; returns the names passed on the way."""
        passed = []
        for _ in range(limit):
            now = self.tab()
            passed.append(now["name"])
            if now["name"] == name:
                return passed
        raise AssertionError(f"{name!r} not reached with Tab; passed {passed}")

    def skip_to_content(self) -> None:
        self.page.keyboard.press("Tab")
        first = self.focused()
        assert first["name"] == "Zum Inhalt springen", f"first Tab stop is {first}"
        assert first["visible"], "the skip link appears when focused"
        assert first["outline"], "the skip link shows its focus"
        self.page.keyboard.press("Enter")
        assert self.focused()["id"] == "main", "the skip link moves focus to the content"

    def enter(self, step: str) -> None:
        self.journey.submit(lambda: self.page.keyboard.press("Enter"), step)


def test_login_and_search_with_the_keyboard_only(journey: Journey, world: World) -> None:
    user = world.staff(Role.COUNTY_CASEWORKER)
    keys = Keyboard(journey)
    journey.visit("/konto/anmelden/", "login")

    keys.skip_to_content()
    assert keys.tab()["name"] == "Benutzername"
    journey.page.keyboard.type(user.username)
    assert keys.tab()["name"] == "Passwort"
    journey.page.keyboard.type("correct horse battery staple")
    assert keys.tab()["name"] == "Anmelden"
    keys.enter("home")
    assert journey.page.get_by_role("heading", level=1).inner_text() == "Übersicht"

    # Header, then navigation, then content: the order a sighted reader sees.
    order = keys.tab_to("Personensuche")
    assert order == [
        "Zum Inhalt springen",
        "Ankommen",
        "Abmelden",
        "Sprache",
        "Wechseln",
        "Übersicht",
        "Personensuche",
    ]
    keys.enter("search")

    keys.skip_to_content()
    assert keys.tab()["name"] == "Name"
    journey.page.keyboard.type("Mohammed Hassan")
    keys.enter("search-results")
    assert "Muhammad Al-Hassan" in journey.page.get_by_role("table").inner_text()

    # The search was sent from the content ("#main"), so the results open there too.
    assert keys.focused()["id"] == "main"
    assert keys.tab_to("HH-2025-0001") == ["Name", "Suchen", "HH-2025-0001"]
    keys.enter("household")
    assert journey.page.get_by_role("heading", level=1).inner_text() == "Haushalt HH-2025-0001"
