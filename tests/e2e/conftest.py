"""Fixtures for the end-to-end tests of the real ReviewDesk app.

tests/e2e/run.sh starts Xvfb and tauri-driver and exports:
  E2E_WEBDRIVER_URL  tauri-driver's address (http://127.0.0.1:PORT)
  E2E_APP            absolute path of target/debug/reviewdesk-app
  E2E_ARTIFACTS      where screenshots and logs go (artifacts/e2e)
  E2E_DATA_DIR       the app's fresh temporary data dir (REVIEWDESK_DATA_DIR)
  E2E_TIMEOUT        seconds each explicit wait polls for (default 20)

The app starts at its unlock screen; the fixture creates the encrypted store
with PASSPHRASE (the real Argon2id calibration, as a reviewer gets it) before
any test runs. One app session serves the whole module: the tests run in file order, and each
one that needs imported samples makes sure they are there first.
"""

from __future__ import annotations

import os
import subprocess
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

# The passphrase the end-to-end store is created with.
PASSPHRASE = "e2e 测试口令 correct horse"

# The training people (one step on the sign-in screen) and their password:
# file stem → holder. The seal's password is the same.
PEOPLE = {
    "admin": "赵管理",
    "reviewer": "张审核",
    "approver": "李审批",
    "register": "王发文",
    # With 张审核, the panel of three the 2026 guide needs (panel.min_scores).
    "expert1": "钱评审",
    "expert2": "孙评审",
}
PEOPLE_PASSWORD = "ceshi-2026"


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set: run the end-to-end tests with tests/e2e/run.sh", 2)
    return value


TIMEOUT = float(os.environ.get("E2E_TIMEOUT", "20"))
POLL = 0.2


def _wait_for_driver(url: str, timeout: float) -> None:
    """Poll tauri-driver until it answers HTTP (any status) or time runs out."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/status", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answered: it is up
        except OSError as exc:  # connection refused while it starts
            last = exc
            time.sleep(POLL)
    raise RuntimeError(f"tauri-driver at {url} did not answer within {timeout:.0f} s: {last}")


class App:
    """The running app, seen through WebDriver, with explicit waits."""

    def __init__(self, driver: webdriver.Remote, artifacts: Path, data_dir: Path):
        self.driver = driver
        self.artifacts = artifacts
        self.data_dir = data_dir
        self.recovery_key: str | None = None

    def wait(self, condition, message: str, timeout: float = TIMEOUT):
        """Poll `condition(driver)` until it returns something truthy."""
        return WebDriverWait(
            self.driver, timeout, poll_frequency=POLL, ignored_exceptions=(WebDriverException,)
        ).until(condition, message=f"after {timeout:.0f} s: {message}")

    def visible(self, css: str, timeout: float = TIMEOUT) -> WebElement:
        def find(d):
            for el in d.find_elements(By.CSS_SELECTOR, css):
                if el.is_displayed():
                    return el
            return None

        return self.wait(find, f"no visible element matches {css!r}", timeout)

    def all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def shot(self, name: str) -> Path:
        path = self.artifacts / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        # Let the web view paint what the DOM already shows (two frames), so
        # the picture is not a frame behind the state the test just asserted.
        try:
            self.driver.set_script_timeout(5)
            self.driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "requestAnimationFrame(() => requestAnimationFrame(() => done(true)));"
            )
        except WebDriverException:
            pass
        self.driver.save_screenshot(str(path))
        return path

    def ensure_unlocked(self) -> None:
        """First start: create the encrypted store on the unlock screen with
        PASSPHRASE, keep the recovery key it shows once, and continue.
        Screenshots: 00-first-start, 01-recovery-key."""
        found = self.wait(
            lambda d: d.find_elements(By.CSS_SELECTOR, "#unlock[data-phase=locked], .shell, #sign-in-screen"),
            "neither the unlock screen nor the workstation appeared",
        )
        if found[0].get_attribute("id") != "unlock":
            return
        screen = found[0]
        assert screen.get_attribute("data-kind") == "missing", "a fresh data dir starts with no store"
        self.visible("#unlock-passphrase").send_keys(PASSPHRASE)
        self.visible("#unlock-confirm").send_keys(PASSPHRASE)
        self.shot("00-first-start")
        self.visible("#unlock-submit").click()
        key = self.visible("#recovery-key", timeout=max(TIMEOUT, 30))
        self.recovery_key = key.text.strip()
        self.shot("01-recovery-key")
        self.visible("#recovery-kept").click()
        self.visible("#recovery-continue").click()
        self.visible("#sign-in-screen, .shell")

    def acting(self) -> str:
        """The holder the header shows as acting ('' on the sign-in screen)."""
        el = self.all("#acting-holder")
        return el[0].text.strip() if el else ""

    def sign_in(self, who: str = "reviewer", password: str = PEOPLE_PASSWORD) -> None:
        """Sign in as training person `who` (a PEOPLE key), switching from
        whoever is signed in; on a store without a roster, create the test
        people first (one step). Screenshot: 02-sign-in (the first time)."""
        holder = PEOPLE[who]
        if holder in self.acting():
            return
        if self.all(".shell"):
            self.visible("#sign-out").click()
        self.visible("#sign-in-screen")
        if self.all("#training-form") and not self.all(".people button.person"):
            self.visible("#training-password").send_keys(PEOPLE_PASSWORD)
            self.visible("#training-password-again").send_keys(PEOPLE_PASSWORD)
            started = time.monotonic()
            self.visible("#create-test-people").click()
            try:
                outcome = self.visible("#training-created, #training-error", timeout=120)
            except Exception:
                self.shot("FAILED-training")
                (self.artifacts / "FAILED-training.html").write_text(self.driver.page_source, encoding="utf-8")
                raise
            assert outcome.get_attribute("id") == "training-created", f"creating the test people failed: {outcome.text}"
            print(f"test people created in {time.monotonic() - started:.1f} s")
            self.shot("02-sign-in")
        self.visible(f'.people button.person[data-file="测试-TEST-{who}.p12"]').click()
        field = self.visible("#identity-password")
        field.clear()
        field.send_keys(password)
        self.visible("#sign-in").click()
        self.wait(lambda d: holder in self.acting(), f"the header does not show {holder} as acting")

    def ensure_samples_loaded(self, minimum: int = 6) -> list[WebElement]:
        """Import the shipped samples unless the table already has the rows."""
        # The list lives on the applications screen: go there from wherever the last test left off.
        nav = self.all('nav.rail button[data-screen="applications"]')
        if nav and nav[0].get_attribute("aria-current") != "page":
            nav[0].click()
            self.visible('main.main[data-screen="applications"]')
        rows = self.all("table#applications tr.app-row")
        if len(rows) < minimum:
            self.visible("button#load-samples").click()
            rows = self.wait(
                lambda d: (r := d.find_elements(By.CSS_SELECTOR, "table#applications tr.app-row"))
                and len(r) >= minimum
                and r,
                f"table#applications has fewer than {minimum} tr.app-row rows "
                f"after clicking #load-samples",
            )
        return rows


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = Path(_env("E2E_ARTIFACTS"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def app(artifacts: Path):
    url = _env("E2E_WEBDRIVER_URL")
    binary = _env("E2E_APP")
    data_dir = Path(_env("E2E_DATA_DIR"))
    _wait_for_driver(url, TIMEOUT)

    options = ArgOptions()
    # wry reports itself as "wry"; E2E_BROWSER_NAME="" sends no browserName.
    browser_name = os.environ.get("E2E_BROWSER_NAME", "wry")
    if browser_name:
        options.set_capability("browserName", browser_name)
    options.set_capability("tauri:options", {"application": binary})
    started = time.monotonic()
    connection = RemoteConnection(client_config=ClientConfig(remote_server_addr=url, timeout=60))
    driver = webdriver.Remote(command_executor=connection, options=options)
    print(f"app session started in {time.monotonic() - started:.1f} s")
    driver.implicitly_wait(0)  # every wait is explicit
    try:
        running = App(driver, artifacts, data_dir)
        running.ensure_unlocked()
        running.sign_in("reviewer")
        yield running
    finally:
        try:
            driver.quit()  # closes the app window and ends the app
        except WebDriverException as exc:
            print(f"closing the app session failed: {exc}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed test, save a screenshot and the page's HTML next to the others."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    app_ = item.funcargs.get("app")
    if not isinstance(app_, App):
        return
    try:
        path = app_.shot(f"FAILED-{item.name}")
        (app_.artifacts / f"FAILED-{item.name}.html").write_text(
            app_.driver.page_source, encoding="utf-8"
        )
        report.sections.append(("e2e artifacts", f"screenshot: {path}"))
    except WebDriverException as exc:  # the app may be gone
        report.sections.append(("e2e artifacts", f"no screenshot: {exc}"))


def answer_file_dialog(title_word: str, path: Path) -> None:
    """Type `path` into the GTK file dialog whose title has `title_word`
    (GTK's first chooser of a session can take 20 s to map on a busy machine;
    a dialog just mapped may not take keys yet, so it is tried again while it
    stays open; it is never left open over the window for later tests)."""

    def dialog():
        out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", title_word], capture_output=True, text=True)
        return out.stdout.split()

    deadline = time.monotonic() + 60
    while not dialog() and time.monotonic() < deadline:
        time.sleep(0.2)
    windows = dialog()
    assert windows, f"the native file dialog ({title_word}) did not open"
    wid = windows[-1]
    try:
        for attempt in range(4):
            time.sleep(1.0 + attempt)
            subprocess.run(["xdotool", "windowfocus", "--sync", wid], check=False)
            subprocess.run(["xdotool", "key", "--window", wid, "ctrl+l"], check=True)
            time.sleep(0.3)
            subprocess.run(["xdotool", "key", "--window", wid, "ctrl+a"], check=True)
            subprocess.run(["xdotool", "type", "--window", wid, "--delay", "15", str(path)], check=True)
            time.sleep(0.3)
            subprocess.run(["xdotool", "key", "--window", wid, "Return"], check=True)
            closed = time.monotonic() + 5
            while dialog() and time.monotonic() < closed:
                time.sleep(0.2)
            if not dialog():
                break
        assert not dialog(), "the file dialog did not take the path"
    finally:
        for w in dialog():
            subprocess.run(["xdotool", "key", "--window", w, "Escape"], check=False)
