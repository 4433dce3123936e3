#!/usr/bin/env bash
# Set up and start the ReviewDesk workstation (评审工作台).
#
#   scripts/start.sh [ARGS...]
#
# Installs what the app needs (scripts/setup.sh --runtime), builds the front
# end (ui/dist) and the app (debug build, target/debug/reviewdesk-app), then
# runs the app with ARGS. Needs a graphical session ($DISPLAY or
# $WAYLAND_DISPLAY); without one it says so and exits 2.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_utf8_locale
cd "$REPO_ROOT"

if ! have_display; then
  cat >&2 <<'MSG'
ReviewDesk is a desktop app, and there is no display here: neither DISPLAY nor
WAYLAND_DISPLAY is set, so its window cannot open.

  - Without a desktop, use the command-line tool instead:
        cargo run -p reviewdesk-cli -- --help
  - To run the app on a virtual display anyway (nothing to see, but it runs):
        xvfb-run -a scripts/start.sh
  - To only install what it needs: scripts/setup.sh --runtime
MSG
  exit 2
fi

bash "$REPO_ROOT/scripts/setup.sh" --runtime

step "building the front end: npm run build (ui/ -> ui/dist)"
(cd "$REPO_ROOT/ui" && npm run build)

step "building the app: cargo build -p reviewdesk-app (first build takes minutes)"
cargo build -p reviewdesk-app

step "starting ReviewDesk: target/debug/reviewdesk-app${*:+ $*}"
exec "$APP_BIN" "$@"
