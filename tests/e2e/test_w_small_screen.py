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
            for css in [".topbar .brand .name", ".topbar .langs .lang", "#sign-out"]:
                for el in app.all(css):
                    lines = app.driver.execute_script(
                        "const r = document.createRange(); r.selectNodeContents(arguments[0]);"
                        "return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size",
                        el,
                    )
                    assert lines <= 1, f"{css} wraps onto {lines} lines at {w}x{h} ({el.text!r})"
        # (after test_app.py the register has letters; alone, there may be none)
        _go(app, "letters")
        # no scroller between the register and its rows hides part of them
        hidden = app.driver.execute_script(
            """const t = document.querySelector('#register table');
            if (!t) return [];
            const out = [];
            for (let el = t; el && el.id !== 'register'; el = el.parentElement) {
              if (el.scrollWidth > el.clientWidth + 1) out.push(el.tagName + '.' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth);
            }
            const box = t.parentElement.getBoundingClientRect();
            for (const b of t.querySelectorAll('tr.letter-row td.actions button')) {
              if (b.getBoundingClientRect().right > box.right + 1) out.push('button ' + b.textContent.trim());
            }
            return out;"""
        )
        assert not hidden, f"part of the register is cut off at {w}x{h}: {hidden}"
    finally:
        app.driver.set_window_size(1280, 800)
