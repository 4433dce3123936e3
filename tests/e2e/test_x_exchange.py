"""End-to-end: Settings › 协作 / Collaboration exchanges packages through the
real window. The window's store is the round's home: it exports a round
package for 钱评审 (the native save dialog, answered with xdotool), the CLI
imports it into a new laptop store (pinning the training CA), 钱评审 declares a
conflict of interest there and exports a review package, and the window imports
it (password dialog, then the open dialog) and shows what it applied."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import PEOPLE_PASSWORD, answer_file_dialog

NY = "91500105MA5XR8N1XJ"  # 05-not-yuzhong.xlsx: no other test touches it


def _cli(app, db: Path, who: str, *args: str) -> subprocess.CompletedProcess:
    """The real CLI beside the app binary, acting as training person `who`."""
    cli = Path(os.environ["E2E_APP"]).parent / "reviewdesk"
    env = dict(os.environ)
    env.update(
        REVIEWDESK_IDENTITY=str(app.data_dir / "training" / f"测试-TEST-{who}.p12"),
        REVIEWDESK_IDENTITY_PASSWORD=PEOPLE_PASSWORD,
        REVIEWDESK_PASSPHRASE="e2e laptop",
        REVIEWDESK_TEST_CHEAP_KDF="1",
    )
    env.pop("REVIEWDESK_DATA_DIR", None)
    return subprocess.run([str(cli), "--db", str(db), *args], capture_output=True, text=True, env=env, timeout=300)


def _collaboration(app):
    app.visible('nav.rail button[data-screen="settings"]').click()
    section = app.visible("#collaboration-section")
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", section)
    return section


def test_x_a_package_goes_out_of_the_window_and_one_comes_back(app):
    # 5: after test_app links the provisional workbook, the samples are five applicants
    app.ensure_samples_loaded(5)
    app.sign_in("reviewer")
    _collaboration(app)
    home = app.visible("#exchange-home")
    assert home.get_attribute("data-home") == "true", home.text
    # the round package for 钱评审, saved through the native dialog
    box = app.wait(
        lambda d: [
            b
            for b in d.find_elements(By.CSS_SELECTOR, "#exchange-recipients label.person")
            if "钱评审" in b.text
        ],
        "钱评审 is not offered as a recipient",
    )[0]
    box.find_element(By.CSS_SELECTOR, "input").click()
    round_pkg = app.data_dir.parent / "round-2026.rdpkg"
    app.visible("#export-package").click()
    answer_file_dialog("package", round_pkg)
    done = app.visible("#package-exported", timeout=60)
    assert str(round_pkg) in done.text, done.text
    assert round_pkg.is_file()
    app.shot("x-collaboration-exported")

    # a new laptop store takes it in with the CLI, pinning the training CA
    laptop = app.data_dir.parent / "laptop.db"
    ca = app.data_dir / "training" / "测试CA-TEST-ca.pem"
    out = _cli(app, laptop, "expert1", "--json", "package", "import", str(round_pkg), "--ca", str(ca))
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert r["kind"] == "round" and r["refused"] is None, r
    assert r["from"]["holder"].endswith("张审核"), r
    assert r["applied"] >= 6, r
    # 钱评审 declares a conflict of interest there, a signed act
    o = _cli(app, laptop, "expert1", "conflict", NY, "--reason", "曾为该单位提供咨询 / advised the applicant")
    assert o.returncode == 0, o.stderr
    review_pkg = app.data_dir.parent / "review-laptop.rdpkg"
    o = _cli(app, laptop, "expert1", "--json", "package", "export", "--round", "2026", "-o", str(review_pkg))
    assert o.returncode == 0, o.stderr
    assert json.loads(o.stdout)["kind"] == "review"

    # the window imports the review package: password, then the open dialog
    app.visible("#import-package").click()
    app.visible("#password-dialog")
    app.visible("#certificate-password").send_keys(PEOPLE_PASSWORD)
    app.visible("#password-confirm").click()
    answer_file_dialog("package", review_pkg)
    report = app.visible("#package-report", timeout=60)
    assert report.get_attribute("data-refused") == "false", report.text
    assert report.get_attribute("data-applied") == "1", report.text
    assert "钱评审" in report.text
    last = app.visible("#exchange-last").text
    assert "2026" in last or ":" in last, last
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", report)
    app.shot("x-collaboration-imported")
    app.visible('nav.rail button[data-screen="applications"]').click()
