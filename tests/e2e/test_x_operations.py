"""End-to-end: 公示与拨付 / Notice & payments through the real window. The
administrator imports the 2026 working-day calendar (native open dialog); the
register office sees the period computed before publishing and publishes the
公示 of the approved decisions under the test seal (test_app approved and
issued 91500103MA61QX3D6W's decision earlier); a reviewer records a real-name
objection, the approver dismisses it with a reason; the ledger, exported
through the save dialog, shows the issued awards as 待拨付. Screenshots at
1440×900 and 1024×768."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import PEOPLE_PASSWORD, answer_file_dialog

CODE = "91500103MA61QX3D6W"  # test_app's approved and issued applicant
CALENDAR = Path(__file__).resolve().parents[2] / "assets" / "calendars" / "2026.toml"


def _screen(app, tab: str):
    app.visible('nav.rail button[data-screen="operations"]').click()
    app.visible("section.ops")
    app.visible(f'button.tab[data-tab="{tab}"]').click()


def test_x_operations_calendar_notice_objection_and_ledger(app):
    app.ensure_samples_loaded(5)
    app.driver.set_window_size(1440, 900)

    # the administrator imports the calendar
    app.sign_in("admin")
    _screen(app, "lists")
    app.visible("button.import-calendar").click()
    answer_file_dialog("calendar", CALENDAR)
    year = app.visible('.calendar li[data-year="2026"]', timeout=60)
    assert "2026" in year.text, year.text
    app.shot("x-operations-lists")

    # the register office: the period shown before publishing, then publish
    app.sign_in("register")
    _screen(app, "notice")
    field = app.visible("input.from")
    field.clear()
    field.send_keys("2026-09-30")
    app.visible("section.ops h1").click()  # leave the field: the plan reloads
    plan = app.wait(
        lambda d: (p := d.find_elements(By.CSS_SELECTOR, ".publish .plan")) and "10月" in p[0].text and p[0].text,
        "the notice period over National Day is not shown",
    )
    # 9-30 is a working day, then the National Day holiday and its make-up days (assets/calendars/2026.toml)
    assert "2026年9月30日 至 2026年10月12日（5 个工作日）" in plan, plan
    button = app.visible("button.publish-btn")
    assert button.is_enabled(), app.visible(".publish").text
    button.click()
    app.visible("#password-dialog")
    app.visible("#certificate-password").send_keys(PEOPLE_PASSWORD)
    app.visible("#password-confirm").click()
    notice = app.visible("article.notice", timeout=90)
    assert CODE in notice.text, notice.text
    assert "元" in notice.text
    app.shot("x-operations-notice")

    # a reviewer records an objection; the approver dismisses it
    app.sign_in("reviewer")
    _screen(app, "notice")
    app.visible("button.record").click()
    app.visible('.record-form input[name="code"]').send_keys(CODE)
    app.visible('.record-form input[name="by"]').send_keys("重庆某科技有限公司 张三")
    app.visible('.record-form textarea[name="text"]').send_keys("该项目投资额与实际不符")
    app.visible('.record-form button[type="submit"]').click()
    app.wait(
        lambda d: any("张三" in o.text for o in d.find_elements(By.CSS_SELECTOR, "article.notice li.objection")),
        "the objection is not listed under the notice",
    )

    app.sign_in("approver")
    _screen(app, "notice")
    app.visible("article.notice li.objection button.resolve").click()
    app.visible("li.objection input.reason").send_keys("经核查投资额属实")
    app.visible("li.objection .inline-form button.primary").click()
    resolved = app.wait(
        lambda d: (o := d.find_elements(By.CSS_SELECTOR, "article.notice li.objection"))
        and "不成立" in o[0].text
        and o[0].text,
        "the objection is not shown as dismissed",
    )
    assert "经核查投资额属实" in resolved, resolved
    app.shot("x-operations-objection")

    # the register office exports the ledger: the issued award is 待拨付
    app.sign_in("register")
    _screen(app, "ledger")
    app.visible("button.export-ledger").click()
    answer_file_dialog("ledger", app.data_dir.parent / "ledger-2026.xlsx")
    chip = app.visible('table.ledger .chip[data-state="pending"]', timeout=60)
    assert chip.text == "待拨付", chip.text
    assert (app.data_dir.parent / "ledger-2026.xlsx").is_file()
    app.shot("x-operations-ledger-1440")
    app.driver.set_window_size(1024, 768)
    app.visible("table.ledger")
    app.shot("x-operations-ledger-1024")
    _screen(app, "notice")
    app.shot("x-operations-notice-1024")
    app.driver.set_window_size(1280, 800)
    app.visible('nav.rail button[data-screen="applications"]').click()
