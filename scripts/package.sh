#!/usr/bin/env bash
# Build the installable Debian package (.deb) of the desktop app with Tauri's
# bundler: a release build of reviewdesk-app (about 7 minutes on two cores),
# the front end built into ui/dist first, and the package written to
# artifacts/package/. The target laptops run Debian-family systems (统信UOS,
# 麒麟, Debian 12) with WebKitGTK 4.1; the bundler names those libraries as
# the package's dependencies. Not part of CI (scripts/test.sh never calls it).
#
#   scripts/package.sh            build the .deb
# Environment: CARGO_TARGET_DIR (kept; default the workspace's target/).
set -euo pipefail

keep_target="${CARGO_TARGET_DIR:-}"
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -n "$keep_target" ] && export CARGO_TARGET_DIR="$keep_target"
target="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"

started=$(now_s)
bash "$REPO_ROOT/scripts/setup.sh" --package
tauri="$REPO_ROOT/tools/tauri-cli/node_modules/.bin/tauri"
[ -x "$tauri" ] || die "tauri-cli not found at $tauri (scripts/setup.sh --package installs it)"

step "building the front end (ui/dist)"
(cd "$REPO_ROOT/ui" && npm run build --silent)

# The shipped tauri.conf.json keeps bundling off (debug builds and the e2e
# never bundle); this build turns it on for the .deb alone.
step "release build and .deb: tauri build --bundles deb (several minutes)"
(cd "$REPO_ROOT/src-tauri" && "$tauri" build --bundles deb --ci --config '{"bundle":{"active":true}}')

out="$REPO_ROOT/artifacts/package"
mkdir -p "$out"
found=""
for deb in "$target"/release/bundle/deb/*.deb; do
  [ -f "$deb" ] || continue
  cp -f "$deb" "$out/"
  found="$out/$(basename "$deb")"
done
[ -n "$found" ] || die "no .deb under $target/release/bundle/deb/"
step "package: $found ($(du -h "$found" | cut -f1)) in $(fmt_duration $(($(now_s) - started)))"
dpkg-deb --info "$found" | sed -n 's/^ \(Package\|Version\|Architecture\|Depends\|Installed-Size\):/  &/p'
