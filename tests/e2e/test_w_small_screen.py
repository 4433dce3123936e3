"""End-to-end: the window laid out on a 1024×768 screen (a common bureau
laptop and projector size) and on 1440×900: the header on one line, nothing
hidden behind a horizontal scrollbar, every register action reachable.
Screenshots go to artifacts/e2e/w-*.png."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

SIZES = [(1024, 768), (1440, 900)]


def _go(app, screen: str) -> None:
    app.visible(f'nav.rail button[data-screen="{screen}"]').click()
    app.visible(f'main.main[data-screen="{screen}"]')


def _overflow(app) -> int:
    """How far the page is wider than the window (0: it fits)."""
    return app.driver.execute_script(
        "return Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_w_every_screen_fits(app, size):
    w, h = size
    app.sign_in("register")
    app.driver.set_window_size(w, h)
    try:
        for screen in ["overview", "applications", "decisions", "letters", "settings"]:
            _go(app, screen)
            app.shot(f"w-{w}x{h}-{screen}")
            assert _overflow(app) == 0, f"{screen} at {w}x{h} is {_overflow(app)} px wider than the window"
            # the header's name and the language switch each stay on one line
            for css in [".topbar .brand .name", ".topbar .lang-switch, .topbar [role='group']"]:
                for el in app.all(css):
                    line = app.driver.execute_script(
                        "const s = getComputedStyle(arguments[0]); return parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.5",
                        el,
                    )
                    assert el.size["height"] <= 2 * line, f"{css} wraps at {w}x{h}: {el.size} ({el.text!r})"
        # every action of a register row is inside the visible width of its table
        # (after test_app.py the register has letters; alone, there may be none)
        _go(app, "letters")
        for row in app.all("#register tr.letter-row")[:3]:
            table = app.visible("#register")
            right = table.location["x"] + table.size["width"]
            for b in row.find_elements(By.CSS_SELECTOR, "button"):
                assert b.location["x"] + b.size["width"] <= right + 1, f"{b.text!r} is outside the register at {w}x{h}"
    finally:
        app.driver.set_window_size(1280, 800)
