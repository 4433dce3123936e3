"""End-to-end: the first start creates an encrypted store (the fixture went
through the unlock screen), and nothing readable lands in the data folder."""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By

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
