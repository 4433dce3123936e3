"""End-to-end: a two-person day with assignments (issue 17, my queue).

The lead (赵管理, administrator) assigns the C4 application's clause to two
reviewers and another application to one of them; each reviewer signs in and
sees their own queue first with its progress ("N / M 评完"), scores where
there is something left to score, and the comparison shows the reviewers'
points side by side with the spread marked against the guide's threshold.
After test_app.py the C4 decision is frozen (its panel already scored by
three people); run alone, the reviewers score it here, far apart.
Screenshots at 1024×768 and 1440×900: artifacts/e2e/x-*.png."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_app import _click, _go  # the same click (scrolled into view, retried) and navigation

C4_CODE = "91500103MA7HJ2LT5M"  # 04: AI+智慧物流调度, two panel factors
C1_CODE = "91500103MA5U7K2P39"  # 01: C1 only, nothing for the panel
SIZES = [(1024, 768), (1440, 900)]


def _top(app) -> None:
    """Scrolling into the detail can move the whole page: bring the navigation back into view."""
    app.driver.execute_script(
        "window.scrollTo(0, 0);"
        "for (const e of document.querySelectorAll('body, .shell, .shell > *')) e.scrollTop = 0;"
        "document.querySelector('.topbar')?.scrollIntoView({block: 'start'});"
    )


def _open(app, code: str) -> None:
    _top(app)
    _go(app, "applications")
    if app.all("#mine-only:checked"):
        _click(app, "#mine-only")
    row = app.visible(f'table#applications tr.app-row[data-credit-code="{code}"]')
    row.find_element(By.CSS_SELECTOR, "td").click()
    app.wait(lambda d: code in d.find_element(By.CSS_SELECTOR, "#detail").text, f"#detail does not show {code}")
    app.visible("#desk-section")


def _assign(app, code: str, holder: str, clause: str | None) -> None:
    _open(app, code)
    select = app.visible("#assign-to")
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", select)
    app.wait(lambda d: any(o.text == holder for o in Select(select).options), f"{holder} is not offered in #assign-to")
    Select(select).select_by_visible_text(holder)
    Select(app.visible("#assign-clause")).select_by_value(clause or "")
    _click(app, "#assign")
    app.wait(lambda d: holder in d.find_element(By.CSS_SELECTOR, "#desk-section .assigned").text, f"{code} does not say it is assigned to {holder}")


def _progress(app) -> tuple[int, int]:
    app.wait(lambda d: d.execute_script("const e = document.querySelector('#my-progress'); if (e) e.scrollIntoView(); return !!e"), "no #my-progress")
    el = app.visible("#my-progress")
    return int(el.get_attribute("data-done")), int(el.get_attribute("data-total"))


def _score_if_open(app, who_points: dict[str, str]) -> bool:
    """Score C4 as the person signed in, if its figures are not frozen yet."""
    _open(app, C4_CODE)
    app.visible("#review .project-review, #review .unavailable")
    if not app.all("#review .unavailable") and not app.all('.panel-input[data-factor="leading_role"]'):
        if app.all('#decision-bar[data-state="approved"], #decision-bar[data-state="issued"]'):
            return False
        _click(app, "#score-round")
    if not app.all('.panel-input[data-factor="leading_role"]'):
        return False
    for factor, value in who_points.items():
        field = app.visible(f'.panel-input[data-factor="{factor}"]')
        app.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
        field.clear()
        field.send_keys(value)
    _click(app, ".project-review[data-clause='C4'] .save-panel")
    who = app.acting()
    last = list(who_points.values())[-1]
    app.wait(
        lambda d: f"{who} {last}" in d.find_element(By.CSS_SELECTOR, ".project-review[data-clause='C4']").text,
        f"the C4 project does not list {who}'s points after saving",
    )
    return True


def test_x_a_two_person_day_with_assignments(app):
    # the samples are in (test_app.py imported them; alone, a reviewer imports them: the lead cannot)
    app.sign_in("reviewer")
    app.ensure_samples_loaded(1)
    app.sign_in("admin")
    # the lead assigns: C4's clause to both reviewers, 01 to 张审核 as well
    _assign(app, C4_CODE, "张审核", "C4")
    _assign(app, C4_CODE, "钱评审", "C4")
    _assign(app, C1_CODE, "张审核", None)
    # clicking into the detail may have scrolled the page: the queue bar is above the list
    app.wait(lambda d: d.execute_script("const e = document.querySelector('#team-progress'); if (e) e.scrollIntoView(); return !!e"), "no #team-progress for the lead")
    team = app.visible("#team-progress").text
    assert "张审核" in team and "钱评审" in team, team
    app.shot("x-lead-assigned")

    # 张审核: their queue first, with progress; only theirs on request
    _top(app)
    app.sign_in("reviewer")
    _top(app)
    _go(app, "applications")
    app.driver.execute_script("document.querySelector('#my-queue')?.scrollIntoView()")
    done, total = _progress(app)
    assert total == 2, (done, total)
    _score_if_open(app, {"leading_role": "36", "industry_fit": "27"})
    _top(app)
    _go(app, "applications")
    first = [r.get_attribute("data-credit-code") for r in app.all("table#applications tr.app-row")[:2]]
    assert set(first) == {C4_CODE, C1_CODE}, f"the reviewer's queue is not first: {first}"
    _click(app, "#mine-only")
    app.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "table#applications tr.app-row")) == 2, "only mine does not show 2 rows")
    done, total = _progress(app)
    assert (done, total) == (2, 2), (done, total)  # C4 scored (here or in test_app), 01 needs no panel
    assert app.visible("#my-progress").text == "2 / 2 评完"
    for w, h in SIZES:
        app.driver.set_window_size(w, h)
        app.shot(f"x-{w}x{h}-reviewer-queue")
    app.driver.set_window_size(1280, 800)
    _click(app, "#mine-only")

    # 钱评审: one assignment
    _top(app)
    app.sign_in("expert1")
    _score_if_open(app, {"leading_role": "10", "industry_fit": "5"})
    _top(app)
    _go(app, "applications")
    assert _progress(app) == (1, 1)

    # the comparison: the reviewers' points side by side, the spread marked
    _click(app, "#open-comparison")
    row = app.visible(f'#panel-comparison tr.spread-row[data-credit-code="{C4_CODE}"]')
    assert "张审核" in row.text and "钱评审" in row.text, row.text
    threshold = 20
    spread = float(row.find_element(By.CSS_SELECTOR, ".spread").text.split()[0])
    assert row.get_attribute("data-level") == ("over" if spread > threshold else "within"), (spread, row.get_attribute("data-level"))
    for w, h in SIZES:
        app.driver.set_window_size(w, h)
        app.visible("#panel-comparison")
        app.shot(f"x-{w}x{h}-comparison")
    app.driver.set_window_size(1280, 800)
