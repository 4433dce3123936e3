"""End-to-end: the round overview and an application's versions.

Runs after test_app.py in the same app session (or alone: it loads the
samples itself). The sample round has a re-submitted workbook: 01-supply-
clean.xlsx and 07-supply-legacy.xls are versions 1 and 2 of one applicant
(91500103MA5U7K2P39), and 06-errors.xlsx, whose credit code Excel turned
into 9.15001E+17, is kept under a provisional identity with the same name:
linked here, it becomes that applicant's version 0 (before correction).
Screenshots go to artifacts/e2e/ (ov-*.png).
"""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

RESUBMITTED = "91500103MA5U7K2P39"  # 01-supply-clean.xlsx, re-submitted as 07-supply-legacy.xls
MIN_ROWS = 6
STATUS_KEYS = ["imported", "needsCorrection", "eligible", "scored", "proposed", "approved", "letterIssued"]


def _go(app, screen: str) -> None:
    app.visible(f'nav.rail button[data-screen="{screen}"]').click()
    app.visible(f'main.main[data-screen="{screen}"]')


def _ensure_reviewer(app) -> None:
    app.sign_in("reviewer")


def _open_row(app, css: str) -> None:
    _go(app, "applications")
    _collapse_import_summary(app)
    row = app.visible(f"table#applications tr.app-row{css}")
    row.find_element(By.CSS_SELECTOR, "td").click()
    app.visible("#detail")


def _collapse_import_summary(app) -> None:
    """Put the import summary away (收起) so the detail pane has the window's height
    (its other button, #import-summary-toggle, only folds it to one line)."""
    for b in app.all("#import-summary-dismiss"):
        if b.is_displayed():
            b.click()
            app.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "#import-summary"), "#import-summary stays open")
            return


def _counts(app) -> dict[str, int]:
    out = {}
    for key in STATUS_KEYS:
        el = app.visible(f'#ov-counts button[data-count="{key}"] .n')
        out[key] = int(el.text.strip())
    return out


def test_a_overview_shows_counts_budget_attention_and_targets(app):
    app.ensure_samples_loaded(MIN_ROWS)
    _go(app, "overview")
    counts = _counts(app)
    print(f"status counts: {counts}")
    assert counts["imported"] >= 5, counts
    assert counts["needsCorrection"] >= 1, counts
    app.visible("#ov-budget-card")
    attention = app.visible("#ov-attention-card")
    kinds = [el.get_attribute("data-kind") for el in app.all("#ov-attention-card li.todo-kind")]
    print(f"attention: {kinds}")
    assert kinds, f"nothing listed under what needs attention: {attention.text!r}"
    targets = app.visible("#ov-targets-card")
    assert "50" in targets.text and "3" in targets.text, targets.text
    app.shot("ov-a-overview")


def test_b_link_the_provisional_workbook_to_its_corrected_version(app):
    app.ensure_samples_loaded(MIN_ROWS)
    _ensure_reviewer(app)
    _open_row(app, '[data-status="needs_correction"]')
    box = app.visible("#detail #link-box")
    box.location_once_scrolled_into_view  # noqa: B018
    if not app.all("#link-box .linked"):
        button = app.wait(
            lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, "#link-box .link-btn") if RESUBMITTED in b.text] or None,
            f"#link-box offers no link to {RESUBMITTED}",
        )[0]
        button.click()
        app.visible("#link-box .done")
    app.visible("#link-box .linked")
    app.visible("#link-box").location_once_scrolled_into_view  # noqa: B018
    app.shot("ov-b-linked")


def test_c_versions_of_the_resubmitted_workbook_side_by_side(app):
    _open_row(app, f'[data-credit-code="{RESUBMITTED}"]')
    app.visible("#detail #version-diff")
    options = [o.get_attribute("value") for o in app.all("#version-from option")]
    print(f"versions offered: {options}")
    assert len(options) >= 3, f"expected versions 0, 1, 2 of {RESUBMITTED}: {options}"
    Select(app.visible("#version-from")).select_by_index(0)  # version 0: before correction
    Select(app.visible("#version-to")).select_by_index(1)  # version 1: the corrected workbook

    def shows_the_correction(d):
        t = d.find_element(By.CSS_SELECTOR, "#version-diff").text
        return "9.15001E+17" in t and t

    text = app.wait(shows_the_correction, "#version-diff does not show the credit code as Excel mangled it")
    print(text[:400])
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", app.visible("#versions-section"))
    app.shot("ov-c-versions")
    history = app.visible("#history-section")
    history.location_once_scrolled_into_view  # noqa: B018
    assert app.all("#history-section .history li"), "no audit history for this application"
    app.shot("ov-d-history")


def test_d_overview_after_the_link(app):
    _go(app, "overview")
    counts = _counts(app)
    print(f"status counts after linking: {counts}")
    kinds = [el.get_attribute("data-kind") for el in app.all("#ov-attention-card li.todo-kind")]
    assert "link_provisional" not in kinds, f"the linked workbook still waits for a link: {kinds}"
    app.shot("ov-e-overview-after-link")


def test_e_overview_in_english(app):
    _go(app, "overview")
    app.visible('button.lang[data-lang="en"]').click()
    try:
        app.wait(lambda d: "What needs attention next" in d.find_element(By.CSS_SELECTOR, "main.main").text, "no English on the overview")
        app.shot("ov-f-overview-english")
    finally:
        app.visible('button.lang[data-lang="zh-CN"]').click()
