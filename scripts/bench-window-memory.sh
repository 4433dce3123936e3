#!/usr/bin/env bash
# The app's memory beside the memory floor of a Tauri 2 window on this
# machine (issue 18): builds src-tauri/examples/min_window.rs (a window of
# the app's size, a tiny local page, the web view set up by the app's own
# src/webview.rs) and the app, starts each alone under a private Xvfb with
# private XDG and data folders, waits, and sums the PSS (shared pages
# counted once) of its whole process tree (/proc/PID/smaps_rollup: the
# shell process, WebKitWebProcess, WebKitNetworkProcess …).
#
# The app is measured at its unlock screen (nothing loaded: the same page
# state a window reaches before any data). The figure after unlocking with
# the sample round is tests/e2e/bench_app.py's (README, Performance).
#
# Environment: CARGO_TARGET_DIR (default target/), BENCH_RELEASE=1 (release
# builds, the app with custom-protocol), BENCH_WAIT (seconds after start, 8),
# BENCH_NO_BUILD=1 (use what is built).
set -euo pipefail
target_dir="${CARGO_TARGET_DIR:-}"
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
target_dir="${target_dir:-$REPO_ROOT/target}"
export CARGO_TARGET_DIR="$target_dir"
wait_s="${BENCH_WAIT:-8}"

profile=debug
flags=()
if [ "${BENCH_RELEASE:-0}" = 1 ]; then
  profile=release
  flags=(--release --features custom-protocol)
fi
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  [ -f "$REPO_ROOT/ui/dist/index.html" ] || die "ui/dist missing: cd ui && npm run build"
  step "building the app and the minimal window ($profile)"
  (cd "$REPO_ROOT" && cargo build -p reviewdesk-app "${flags[@]}" --bin reviewdesk-app --example min_window)
fi
app="$target_dir/$profile/reviewdesk-app"
floor="$target_dir/$profile/examples/min_window"
[ -x "$app" ] || die "not built: $app"
[ -x "$floor" ] || die "not built: $floor"
command -v Xvfb >/dev/null || die "Xvfb not found (scripts/setup.sh --test)"

work="$(mktemp -d "${TMPDIR:-/tmp}/reviewdesk-winmem.XXXXXX")"
display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
child=""
cleanup() {
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then kill -TERM "$child" 2>/dev/null || true; fi
  kill -TERM "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
sleep 1

# The pid and every descendant.
tree() {
  local p=$1 c
  echo "$p"
  for c in $(pgrep -P "$p" 2>/dev/null || true); do tree "$c"; done
}

# Sum of Pss (kB) over a process tree; one line per process on stderr.
pss_tree() {
  local total=0 p kb name
  for p in $(tree "$1"); do
    kb=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
    name=$(tr -d '\0' <"/proc/$p/comm" 2>/dev/null || echo "?")
    [ -n "$kb" ] || kb=0
    printf '      %-24s %8.1f MB\n' "$name" "$(echo "$kb / 1024" | bc -l)" >&2
    total=$((total + kb))
  done
  echo "$total"
}

# Start "$@" in fresh folders, wait, print the tree's PSS (kB), stop it.
measure() {
  local name=$1; shift
  local home="$work/$name"
  mkdir -p "$home/data" "$home/xdg/data" "$home/xdg/config" "$home/xdg/cache" "$home/xdg/runtime"
  chmod 700 "$home/xdg/runtime"
  DISPLAY="$display" HOME="$home" REVIEWDESK_DATA_DIR="$home/data" \
    XDG_DATA_HOME="$home/xdg/data" XDG_CONFIG_HOME="$home/xdg/config" \
    XDG_CACHE_HOME="$home/xdg/cache" XDG_RUNTIME_DIR="$home/xdg/runtime" \
    "$@" >"$home/log" 2>&1 &
  child=$!
  sleep "$wait_s"
  kill -0 "$child" 2>/dev/null || { cat "$home/log" >&2; die "$name exited early"; }
  echo "    $name:" >&2
  pss_tree "$child"
  kill -TERM "$child" 2>/dev/null || true
  wait "$child" 2>/dev/null || true
  child=""
}

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
floor_kb=$(measure "minimal Tauri 2 window" "$floor")
app_kb=$(measure "reviewdesk-app (unlock screen)" "$app")
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
mb() { echo "scale=1; $1 / 1024" | bc; }
diff_kb=$((app_kb - floor_kb))
echo
echo "window memory ($profile builds, PSS of the process tree after ${wait_s} s; load $load_start → $load_end)"
printf '  %-44s %8s MB\n' "minimal Tauri 2 window (same web view set-up)" "$(mb "$floor_kb")"
printf '  %-44s %8s MB\n' "reviewdesk-app, unlock screen" "$(mb "$app_kb")"
printf '  %-44s %8s MB   (goal: ≤ 60 MB over the minimal window: %s)\n' "app over the floor" "$(mb "$diff_kb")" \
  "$([ "$diff_kb" -le $((60 * 1024)) ] && echo met || echo NOT met)"
