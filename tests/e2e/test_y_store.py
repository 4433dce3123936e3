"""End-to-end: the import screen's tools and Settings › data and security
(back up now: an encrypted, checked copy beside the store)."""

from __future__ import annotations


def _go(app, screen: str) -> None:
    app.visible(f'nav.rail button[data-screen="{screen}"]').click()
    app.visible(f'main.main[data-screen="{screen}"]')


def test_y_import_screen_offers_the_blank_workbook(app):
    _go(app, "import")
    button = app.visible("#save-template")
    assert button.is_enabled()
    app.shot("y-import-screen")


def test_y_backup_now_writes_an_encrypted_checked_copy(app):
    _go(app, "settings")
    section = app.visible("#store-section")
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", section)
    app.visible("#backup-now").click()
    result = app.visible("#backup-result", timeout=60)
    print(f"backup: {result.text!r}")
    backups = sorted((app.data_dir / "backups").glob("reviewdesk-*.db"))
    assert backups, "no backup in <data dir>/backups"
    newest = backups[-1]
    assert newest.name in result.text
    assert not newest.read_bytes().startswith(b"SQLite format 3\0"), "the backup is not encrypted"
    assert newest.with_name(newest.name + ".key").is_file(), "the backup has no key file beside it"
    app.shot("y-settings-backup")


def test_y_the_data_folder_holds_no_letter_and_only_private_files(app):
    """After issuing, opening and printing letters (test_app) and backing up:
    no PDF and no sample workbook anywhere under the data folder, every file
    0600 and every folder 0700 (the letters went to the session's temporary
    folder)."""
    loose, leaks = [], []
    for p in [app.data_dir, *app.data_dir.rglob("*")]:
        mode = p.stat().st_mode & 0o777
        if p.is_dir() and mode != 0o700 or p.is_file() and mode != 0o600:
            loose.append(f"{p.relative_to(app.data_dir)} {oct(mode)}")
        if p.is_file() and b"%PDF" in p.read_bytes():
            leaks.append(str(p.relative_to(app.data_dir)))
    assert not leaks, f"a PDF in the data folder: {leaks}"
    assert not loose, f"not private: {loose}"
    assert not (app.data_dir / "letters").exists() and not (app.data_dir / "sample-round").exists()


def test_y_filter_by_clause_and_save_the_filter(app):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _go(app, "applications")
    # Five rows: test_overview linked the provisional workbook to its
    # corrected version, so it is that applicant's history, not a row.
    app.ensure_samples_loaded(5)
    everything = len(app.all("table#applications tr.app-row"))
    Select(app.visible("#clause-filter")).select_by_value("C4")
    app.wait(
        lambda d: 0 < len(d.find_elements(By.CSS_SELECTOR, "table#applications tr.app-row")) < everything,
        "the clause filter narrowed the list",
    )
    c4 = len(app.all("table#applications tr.app-row"))
    app.visible("#save-filter").click()
    app.visible("#filter-name").send_keys("AI+ 项目")
    app.visible("form.save-filter button[type=submit]").click()
    chip = app.visible("button.saved-filter")
    assert chip.text == "AI+ 项目"
    Select(app.visible("#clause-filter")).select_by_value("all")
    app.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "table#applications tr.app-row")) == everything, "all rows back")
    chip.click()
    app.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "table#applications tr.app-row")) == c4, "the saved filter applies")
    app.shot("y-saved-filter")
    Select(app.visible("#clause-filter")).select_by_value("all")


def test_y_the_rounds_guide_is_shown_and_fixed_after_decisions(app):
    from selenium.webdriver.common.by import By

    _go(app, "settings")
    section = app.visible("#guide-section")
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", section)
    round_ = app.visible('#guide-section .round[data-year="2026"]')
    # test_app approved decisions in round 2026: the guide can no longer change.
    assert round_.get_attribute("data-can-change") == "false", round_.text
    assert "已锁定" in round_.text, round_.text
    assert not round_.find_elements(By.CSS_SELECTOR, "button.load-guide")
    round_.find_element(By.CSS_SELECTOR, "button.view-guide").click()
    text = app.visible("#guide-text-2026").text
    assert "渝中区促进算力经济高质量发展政策申报指南" in text and "[round]" in text, text[:200]
    app.shot("y-settings-guide")


def test_y_profile_role_puts_my_work_first_on_the_overview(app):
    from selenium.webdriver.common.by import By

    # The roster's roles, not a typed choice, say whose work comes first.
    app.sign_in("approver")
    _go(app, "settings")
    section = app.visible("#profile-section")
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", section)
    # The header's person and the profile's are one and the same.
    assert app.visible("#profile-holder").text == app.acting(), app.acting()
    holders = [r.text for r in app.all("#roster tbody tr")]
    assert len(holders) == 6 and any("王发文" in h and "发文" in h for h in holders), holders
    app.shot("y-settings-profile")
    _go(app, "overview")
    # the card fills in once the engine's overview arrives: wait for it
    app.wait(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#ov-attention-card li.todo-kind"),
        "nothing waiting on the overview",
    )
    kinds = [el.get_attribute("data-kind") for el in app.all("#ov-attention-card li.todo-kind")]
    others = [el.get_attribute("data-kind") for el in app.all("#ov-attention-card li.todo-kind.others")]
    print(f"attention for an approver: {kinds} (others' work: {others})")
    approver_kinds = {"awaiting_approval", "letter_to_issue", "correction_notice", "delivery"}
    assert kinds, "nothing waiting on the overview"
    mine = [k for k in kinds if k not in others]
    assert set(mine) <= approver_kinds, kinds
    assert kinds[: len(mine)] == mine, f"the approver's own work is not listed first: {kinds}"
