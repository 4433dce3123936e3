"""End-to-end: the web view cannot be taken to a remote page (runs last)."""

from __future__ import annotations

import time


def test_z_a_remote_url_is_refused(app):
    before = app.driver.current_url
    assert before.startswith("tauri://localhost"), before
    app.driver.execute_script("window.location.href = 'https://example.com/phish';")
    time.sleep(1.0)  # give a navigation the chance to happen: it must not
    after = app.driver.current_url
    assert after.startswith("tauri://localhost"), f"navigated to {after}"
    app.visible(".shell")
    app.shot("z-remote-url-refused")
