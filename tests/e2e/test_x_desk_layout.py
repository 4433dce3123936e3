"""End-to-end: at 1024×768 the list keeps its rows when the panel comparison
and the import summary are both open above it (issue 17): the band above the
list is capped and each panel folds. Screenshots at 1024×768 and 1440×900:
artifacts/e2e/x-layout-*.png."""

from __future__ import annotations

import pytest

from test_app import _click, _go

SIZES = [(1024, 768), (1440, 900)]


def _list_height(app) -> int:
    return app.driver.execute_script(
        "const s = document.querySelector('.list .scroller'); return s ? Math.round(s.getBoundingClientRect().height) : 0"
    )


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_x_layout_list_keeps_its_rows(app, size):
    w, h = size
    app.sign_in("reviewer")
    app.driver.set_window_size(w, h)
    try:
        _go(app, "applications")
        app.visible("tr.app-row")
        if not app.all("#panel-comparison"):
            _click(app, "#open-comparison")
        app.visible("#panel-comparison")
        app.shot(f"x-layout-{w}x{h}-open")
        # the band above the list never takes more than half the screen: five rows at least
        assert _list_height(app) >= 5 * 34, f"the list is {_list_height(app)} px high at {w}x{h}"
        before = _list_height(app)
        _click(app, "#comparison-toggle")
        app.wait(lambda d: not d.find_elements("css selector", ".spread-row, #comparison-empty"), "the comparison did not fold")
        if app.all("#import-summary-toggle"):
            _click(app, "#import-summary-toggle")
            app.visible("#import-summary-folded")
        app.wait(lambda d: _list_height(app) >= before, "folding gave the list no room")
        app.shot(f"x-layout-{w}x{h}-folded")
        # open again for whoever comes next
        _click(app, "#comparison-toggle")
        if app.all("#import-summary-toggle"):
            _click(app, "#import-summary-toggle")
        _click(app, "#open-comparison")
    finally:
        app.driver.set_window_size(1280, 800)
