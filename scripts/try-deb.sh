#!/usr/bin/env bash
# Try the .deb as a reviewer's laptop would get it (not CI): unpack it with
# dpkg-deb -x into a temporary root (no root needed; `dpkg -i` where root is
# the real install), start the installed binary under a private Xvfb with a
# fresh data folder, and wait until the window shows the unlock screen
# (设置口令 / 解锁): a screenshot of the display goes to artifacts/package/.
#
#   scripts/try-deb.sh [FILE.deb]   default: the newest artifacts/package/*.deb
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_utf8_locale

deb="${1:-$(ls -t "$REPO_ROOT"/artifacts/package/*.deb 2>/dev/null | head -n 1 || true)}"
[ -n "$deb" ] && [ -f "$deb" ] || die "no .deb given and none in artifacts/package/ (run scripts/package.sh)"
for tool in dpkg-deb Xvfb xdotool import; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (Debian: dpkg, xvfb, xdotool, imagemagick)"
done

out="$REPO_ROOT/artifacts/package"
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/reviewdesk-deb.XXXXXX")"
xvfb_pid=""
app_pid=""
# shellcheck disable=SC2317
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

step "unpacking $(basename "$deb") into a temporary root"
dpkg-deb -x "$deb" "$work/root"
dpkg-deb --field "$deb" Package Version Depends | sed 's/^/  /'
desktop="$(ls "$work"/root/usr/share/applications/*.desktop 2>/dev/null | head -n 1 || true)"
[ -n "$desktop" ] || die "the package installs no .desktop entry"
exe="$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop" | head -n 1)"
bin="$work/root/usr/bin/$(basename "$exe")"
[ -x "$bin" ] || die "the .desktop entry starts $exe, which the package does not install"
step "installed: $(basename "$desktop") → /usr/bin/$(basename "$exe")"

display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
sleep 1
mkdir -p "$work/data" "$work/xdg/config" "$work/xdg/cache" "$work/xdg/data" "$work/xdg/runtime"
chmod 700 "$work/xdg/runtime"
step "starting the installed binary on $display"
DISPLAY="$display" REVIEWDESK_DATA_DIR="$work/data" XDG_CONFIG_HOME="$work/xdg/config" \
  XDG_CACHE_HOME="$work/xdg/cache" XDG_DATA_HOME="$work/xdg/data" XDG_RUNTIME_DIR="$work/xdg/runtime" \
  "$bin" >"$work/app.log" 2>&1 &
app_pid=$!

# The window is up when X knows it by its title; the web view then draws the
# unlock screen, which the screenshot shows.
deadline=$(($(date +%s) + 60))
until DISPLAY="$display" xdotool search --name "ReviewDesk" >/dev/null 2>&1; do
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log" >&2; die "the installed app exited before its window opened"; }
  [ "$(date +%s)" -lt "$deadline" ] || { cat "$work/app.log" >&2; die "no window after 60 s"; }
  sleep 0.5
done
sleep 6
shot="$out/try-deb-unlock.png"
DISPLAY="$display" import -window root "$shot"
kill -0 "$app_pid" 2>/dev/null || die "the installed app exited after opening its window"
# The window must lie on the 1280×800 screen (a window placed by its top-left
# corner at the middle of the screen once ran half off it).
win="$(DISPLAY="$display" xdotool search --onlyvisible --name "ReviewDesk" | head -n 1)"
eval "$(DISPLAY="$display" xdotool getwindowgeometry --shell "$win")"
step "window at ${X},${Y}, ${WIDTH}×${HEIGHT} on a 1280×800 screen"
if [ "$X" -lt 0 ] || [ "$Y" -lt 0 ] || [ $((X + WIDTH)) -gt 1280 ] || [ $((Y + HEIGHT)) -gt 800 ]; then
  die "the window runs off the screen (see $shot)"
fi
step "the installed app is running; its first screen: $shot"
