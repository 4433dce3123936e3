"""End-to-end: the first start creates an encrypted store (the fixture went
through the unlock screen), and nothing readable lands in the data folder."""

from __future__ import annotations

import re
from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import answer_file_dialog

APPLICANT = "重庆渝算智能科技有限公司"  # 01-supply-clean.xlsx
CODE = "91500103MA61QX3D6W"  # 02-rnd-two-clauses.xlsx


def test_0a_first_start_showed_a_recovery_key_once(app):
    assert app.recovery_key, "the recovery key screen was not shown"
    assert re.fullmatch(r"[0-9A-Z]{4}( [0-9A-Z]{4}){12}", app.recovery_key), app.recovery_key
    assert not app.all("#recovery-key"), "the recovery key is gone from the window"
    assert (app.data_dir / "reviewdesk.db.key").is_file()


def test_0b_imported_data_is_encrypted_on_disk(app):
    app.ensure_samples_loaded(6)
    rows = app.all("table#applications tr.app-row")
    assert any(r.get_attribute("data-credit-code") == CODE for r in rows)
    files = [p for p in app.data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "reviewdesk.db" for p in files), [str(p) for p in files]
    leaks = []
    for p in files:
        data = p.read_bytes()
        if data.startswith(b"SQLite format 3\0"):
            leaks.append(f"{p.name}: plain SQLite header")
        for needle in (APPLICANT, CODE):
            if needle.encode() in data:
                leaks.append(f"{p.name}: {needle}")
    assert not leaks, leaks
    app.driver.find_element(By.CSS_SELECTOR, "table#applications")
    app.shot("0b-imported-encrypted")


def test_0c_a_new_guide_version_is_checked_compared_and_used_before_any_decision(app):
    """Settings › 申报指南 › 载入新版本…, answered in the real GTK file dialog
    (xdotool types the path), while round 2026 has no decision yet. The
    version adds a certified platform no sample names, so nothing later moves."""
    shipped = (Path(__file__).resolve().parents[2] / "assets/guides/2026.toml").read_text(encoding="utf-8")
    edited = shipped.replace('  "渝中区公共算力服务平台",\n', '  "渝中区公共算力服务平台",\n  "解放碑算力测试平台",\n', 1)
    assert edited != shipped
    path = app.data_dir.parent / "2026-guide-v2.toml"
    path.write_text(edited, encoding="utf-8")

    # A guide change is the administrator's act.
    app.sign_in("admin")
    app.visible('nav.rail button[data-screen="settings"]').click()
    section = app.visible("#guide-section")
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", section)
    app.visible('#guide-section .round[data-year="2026"][data-can-change="true"] button.load-guide').click()

    answer_file_dialog("guide file", path)

    rows = app.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#guide-preview tr.change"), "no key-by-key changes shown", timeout=30)
    assert [r.get_attribute("data-path") for r in rows] == ["certified_platforms"], [r.text for r in rows]
    assert "解放碑算力测试平台" in rows[0].text
    app.shot("0c-guide-new-version")
    app.visible("#use-guide").click()
    assert "改用指南" in app.visible("#guide-done").text
    round_ = app.visible('#guide-section .round[data-year="2026"]')
    assert "解放碑算力测试平台" not in round_.text  # the text is folded away; the version changed:
    import hashlib

    assert hashlib.sha256(edited.encode()).hexdigest()[:12] in round_.text, round_.text
    # Back where the next tests start: the reviewer, on the applications screen.
    app.sign_in("reviewer")
    app.visible('nav.rail button[data-screen="applications"]').click()
    app.visible('main.main[data-screen="applications"]')
