"""Benchmark (not a timed test): cold start to a usable queue, and the memory
of all the app's processes with the sample round loaded. Prints figures and
never fails on them.

    bash tests/e2e/run.sh bench_app.py -s

Session 1 makes an encrypted store and loads the sample round, then quits.
Session 2 is the cold start a reviewer sees every morning: launch → unlock
screen → passphrase → the queue with its rows. Memory is summed over the app
process and every descendant (WebKit's web and network processes, the parser
worker), as RSS and as PSS (shared pages counted once).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection

from conftest import PASSPHRASE, TIMEOUT, App, _env, _wait_for_driver

TARGET_START_S = 1.5
TARGET_MEMORY_MB = 200


def _session() -> webdriver.Remote:
    url = _env("E2E_WEBDRIVER_URL")
    _wait_for_driver(url, TIMEOUT)
    options = ArgOptions()
    options.set_capability("browserName", os.environ.get("E2E_BROWSER_NAME", "wry"))
    options.set_capability("tauri:options", {"application": _env("E2E_APP")})
    conn = RemoteConnection(client_config=ClientConfig(remote_server_addr=url, timeout=60))
    driver = webdriver.Remote(command_executor=conn, options=options)
    driver.implicitly_wait(0)
    return driver


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(d.name))
    return kids


def _app_tree() -> list[tuple[int, str]]:
    """The app's process and all its descendants: (pid, name)."""
    kids = _children()
    roots = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if (d / "comm").read_text().strip().startswith("reviewdesk-app"):
                    roots.append(int(d.name))
            except OSError:
                pass
    seen, stack = [], list(roots)
    while stack:
        pid = stack.pop()
        if pid in (p for p, _ in seen):
            continue
        try:
            name = (Path("/proc") / str(pid) / "comm").read_text().strip()
        except OSError:
            continue
        seen.append((pid, name))
        stack.extend(kids.get(pid, []))
    return seen


def _mem_kb(pid: int, key: str) -> int:
    try:
        for line in (Path("/proc") / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _top_mappings(pid: int, n: int = 8) -> list[tuple[str, int]]:
    """Where a process's memory is: PSS in kB summed per mapped file
    (anonymous memory as [anon], heap and stack by their names), largest first."""
    sums: dict[str, int] = {}
    name = "?"
    try:
        for line in (Path("/proc") / str(pid) / "smaps").read_text().splitlines():
            head = line.split()
            if not head:
                continue
            if "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
                name = Path(head[5]).name if len(head) > 5 else "[anon]"
            elif head[0] == "Pss:":
                sums[name] = sums.get(name, 0) + int(head[1])
    except OSError:
        return []
    return sorted(sums.items(), key=lambda kv: -kv[1])[:n]


def test_bench_cold_start_and_memory():
    artifacts = Path(_env("E2E_ARTIFACTS"))
    data_dir = Path(_env("E2E_DATA_DIR"))

    # Session 1: the store exists, with the sample round in it.
    driver = _session()
    app = App(driver, artifacts, data_dir)
    app.ensure_unlocked()
    app.sign_in("reviewer")
    app.ensure_samples_loaded(6)
    driver.quit()
    time.sleep(1.0)

    # Session 2: the cold start.
    t0 = time.monotonic()
    driver = _session()
    app = App(driver, artifacts, data_dir)
    app.visible("#unlock[data-phase=locked] #unlock-passphrase", timeout=60)
    t_screen = time.monotonic()
    app.visible("#unlock-passphrase").send_keys(PASSPHRASE)
    t_typed = time.monotonic()
    app.visible("#unlock-submit").click()
    app.visible("#sign-in-screen", timeout=60)
    t_unlocked = time.monotonic()
    app.sign_in("reviewer")  # typing the certificate password is not counted
    t_signed = time.monotonic()
    app.wait(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "table#applications tr.app-row")) >= 6,
        "the queue shows the sample round",
        timeout=60,
    )
    t_queue = time.monotonic()
    time.sleep(2.0)  # let the background checks settle before measuring memory
    tree = _app_tree()
    per = {p: _mem_kb(p, "Pss") for p, _ in tree}
    rss = sum(_mem_kb(p, "Rss") for p, _ in tree) / 1024
    pss = sum(_mem_kb(p, "Pss") for p, _ in tree) / 1024
    where = {p: _top_mappings(p, 6) for p, _ in tree}
    app.shot("bench-queue-after-cold-start")
    driver.quit()

    launch = t_screen - t0
    unlock = (t_unlocked - t_typed) + (t_queue - t_signed)
    lines = [
        f"load average: {' '.join(Path('/proc/loadavg').read_text().split()[:3])} (cores: {os.cpu_count()})",
        f"cold start, launch to the unlock screen:        {launch:6.2f} s",
        f"unlock (Argon2id ~0.5 s) and sign-in to the queue with rows: {unlock:6.2f} s",
        f"total without typing:                           {launch + unlock:6.2f} s (target <= {TARGET_START_S} s after unlocking: {unlock:.2f} s)",
        f"memory of {len(tree)} processes with the sample round loaded: "
        f"RSS {rss:.0f} MB, PSS {pss:.0f} MB (target <= {TARGET_MEMORY_MB} MB)",
        "processes (PSS MB): "
        + ", ".join(f"{n} {per[p] / 1024:.0f}" for p, n in tree),
    ] + [
        f"  {n} by mapping (PSS MB): " + ", ".join(f"{m} {kb / 1024:.1f}" for m, kb in where[p])
        for p, n in tree
    ]
    text = "\n".join(lines)
    print("\n" + text)
    (artifacts / "bench-app.txt").write_text(text + "\n")
