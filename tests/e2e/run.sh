#!/usr/bin/env bash
# End-to-end tests of the real desktop app (target/debug/reviewdesk-app).
#
# Starts a private Xvfb display and tauri-driver (which starts WebKitWebDriver,
# which starts the app), gives the app a fresh temporary data directory
# (REVIEWDESK_DATA_DIR, and private XDG dirs, so the user's data is never
# touched), runs the pytest suite in tests/e2e against it, and stops everything
# on the way out: tauri-driver with SIGTERM only (SIGKILL would leave
# WebKitWebDriver running and holding its port).
#
# Needs: scripts/setup.sh --test (Xvfb, WebKitWebDriver, tauri-driver, the venv)
# and a built app (cargo build -p reviewdesk-app). Screenshots and logs go to
# artifacts/e2e/. Extra arguments go to pytest (e.g. -k load_samples).
# Environment: REVIEWDESK_APP (app binary), E2E_TIMEOUT (seconds per wait, 20),
# E2E_KEEP_TMP=1 (keep the temporary data dir for a look afterwards).
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
ensure_utf8_locale

app="${REVIEWDESK_APP:-$APP_BIN}"
case "$app" in /*) ;; *) app="$PWD/$app" ;; esac
artifacts="$REPO_ROOT/artifacts/e2e"
python="$E2E_VENV/bin/python"

[ -x "$app" ] || die "app binary not found: $app (build it: cargo build -p reviewdesk-app)"
[ -x "$python" ] || die "e2e venv not found: $E2E_VENV (run scripts/setup.sh --test)"
for tool in Xvfb WebKitWebDriver tauri-driver; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run scripts/setup.sh --test)"
done

rm -rf "$artifacts"
mkdir -p "$artifacts"
work="$(mktemp -d "${TMPDIR:-/tmp}/reviewdesk-e2e.XXXXXX")"
mkdir -p "$work/data" "$work/xdg/data" "$work/xdg/config" "$work/xdg/cache" "$work/xdg/runtime"
chmod 700 "$work/xdg/runtime"

xvfb_pid=""
driver_pid=""

# (Both functions run from the EXIT trap.)
# shellcheck disable=SC2317
# Wait up to $2 seconds for process $1 to end; return 1 if it is still alive.
wait_gone() {
  local pid=$1 deadline=$(($(date +%s) + $2))
  while kill -0 "$pid" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# shellcheck disable=SC2317
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local children=""
  if [ -n "$driver_pid" ] && kill -0 "$driver_pid" 2>/dev/null; then
    # Remember WebKitWebDriver (tauri-driver's child) before stopping its parent.
    children="$(pgrep -P "$driver_pid" 2>/dev/null | tr '\n' ' ' || true)"
    note "stopping tauri-driver (SIGTERM, pid $driver_pid)"
    kill -TERM "$driver_pid" 2>/dev/null || true
    if ! wait_gone "$driver_pid" 15; then
      warn "tauri-driver still running 15 s after SIGTERM (pid $driver_pid); left alone, not SIGKILLed"
    fi
  fi
  # WebKitWebDriver normally ends with tauri-driver; SIGTERM it if it did not.
  local child
  for child in $children; do
    if kill -0 "$child" 2>/dev/null; then
      note "stopping leftover child $child of tauri-driver (SIGTERM)"
      kill -TERM "$child" 2>/dev/null || true
      wait_gone "$child" 5 || warn "process $child did not stop"
    fi
  done
  if [ -n "$xvfb_pid" ] && kill -0 "$xvfb_pid" 2>/dev/null; then
    kill -TERM "$xvfb_pid" 2>/dev/null || true
    wait_gone "$xvfb_pid" 5 || warn "Xvfb (pid $xvfb_pid) did not stop"
  fi
  if [ "${E2E_KEEP_TMP:-0}" = 1 ]; then
    note "kept the temporary data dir: $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. A private X display (-displayfd picks a free display number), 1440×900:
#    the window opens at its configured 1280×800, which fits (a smaller
#    screen gets a window fitted to it; test_w tests 1024×768). ----------
step "e2e: starting Xvfb"
Xvfb -displayfd 3 -screen 0 1440x900x24 -nolisten tcp -noreset \
  3>"$work/display" >"$artifacts/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -s "$work/display" ] && break
  kill -0 "$xvfb_pid" 2>/dev/null || { cat "$artifacts/xvfb.log" >&2; die "Xvfb exited at start-up"; }
  sleep 0.1
done
[ -s "$work/display" ] || die "Xvfb did not report a display within 10 s"
DISPLAY=":$(tr -d '[:space:]' <"$work/display")"
export DISPLAY
unset WAYLAND_DISPLAY
note "display $DISPLAY (Xvfb pid $xvfb_pid)"

# 2. tauri-driver on two free loopback ports. ----------------------------------
read -r port native_port < <("$python" - <<'PY'
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks:
    s.close()
PY
)
export REVIEWDESK_DATA_DIR="$work/data"
export XDG_DATA_HOME="$work/xdg/data" XDG_CONFIG_HOME="$work/xdg/config"
export XDG_CACHE_HOME="$work/xdg/cache" XDG_RUNTIME_DIR="$work/xdg/runtime"
export NO_AT_BRIDGE=1
# "Open / print" starts xdg-open; a stand-in records what it was asked to open
# instead of starting a PDF viewer on the test display.
mkdir -p "$work/bin"
cat >"$work/bin/xdg-open" <<'SH'
#!/bin/sh
# as xdg-open does when no application takes the file: exit 3
if [ -e "$E2E_OPENED.fail" ]; then exit 3; fi
printf '%s\n' "$@" >>"$E2E_OPENED"
SH
chmod +x "$work/bin/xdg-open"
export PATH="$work/bin:$PATH" E2E_OPENED="$work/opened.txt"
step "e2e: starting tauri-driver on 127.0.0.1:$port (WebKitWebDriver on :$native_port)"
note "app: $app"
note "REVIEWDESK_DATA_DIR=$REVIEWDESK_DATA_DIR"
tauri-driver --port "$port" --native-port "$native_port" \
  >"$artifacts/tauri-driver.log" 2>&1 &
driver_pid=$!

# 3. The tests. ------------------------------------------------------------------
export E2E_WEBDRIVER_URL="http://127.0.0.1:$port"
export E2E_APP="$app" E2E_ARTIFACTS="$artifacts" E2E_DATA_DIR="$REVIEWDESK_DATA_DIR"
step "e2e: pytest tests/e2e"
rc=0
(cd "$REPO_ROOT/tests/e2e" && "$python" -m pytest -p no:cacheprovider "$@") || rc=$?
if [ "$rc" -ne 0 ]; then
  warn "end-to-end tests failed (pytest exit $rc); last lines of artifacts/e2e/tauri-driver.log:"
  tail -n 40 "$artifacts/tauri-driver.log" >&2 || true
fi
note "screenshots and logs: artifacts/e2e/"
exit "$rc"
