#!/usr/bin/env bash
# Set up everything ReviewDesk needs on Debian 12, idempotently.
#
#   scripts/setup.sh --runtime   Debian packages to build and run the app,
#                                and the front end's npm packages (ui/node_modules)
#   scripts/setup.sh --test      all of the above, plus what the tests need:
#                                webkit2gtk-driver, poppler-utils, libnss3-tools (certutil for pdfsig trust), sqlite3,
#                                tauri-driver 2.1.0 and cargo-deny 0.20.2 (cargo install) and the
#                                end-to-end test's Python venv (tests/e2e/.venv)
#   scripts/setup.sh             same as --test
#   scripts/setup.sh --package   --runtime plus what scripts/package.sh and try-deb.sh need:
#                                xdotool, imagemagick, and Tauri's bundler @tauri-apps/cli (npm, pinned) in tools/tauri-cli/ (not CI)
#
# Each step says what it does. A second run finds everything in place, needs
# no network and takes a second or two. Runs as root or through sudo.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

mode="test"
case "${1:-}" in
  --runtime) mode="runtime" ;;
  --test | "") mode="test" ;;
  --package) mode="package" ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac

setup_started=$(now_s)
step "setup ($mode) in $REPO_ROOT"

# 1. Debian packages ------------------------------------------------------------
if [ "$mode" = test ]; then
  ensure_debs "${RUNTIME_DEBS[@]}" "${TEST_DEBS[@]}"
elif [ "$mode" = package ]; then
  # xdotool and imagemagick (import): scripts/try-deb.sh finds the window and takes its picture
  ensure_debs "${RUNTIME_DEBS[@]}" xdotool imagemagick
else
  ensure_debs "${RUNTIME_DEBS[@]}"
fi

# 2. Toolchains that the machine must already have -------------------------------
for tool in cargo node npm; do
  command -v "$tool" >/dev/null 2>&1 \
    || die "$tool not found on PATH: install Rust (rustup) and Node.js 20+ first"
done
if [ "$mode" = test ]; then
  for component in fmt clippy; do
    if ! cargo "$component" --version >/dev/null 2>&1; then
      command -v rustup >/dev/null 2>&1 \
        || die "'cargo $component' is missing and rustup is not available to add it"
      step "installing Rust component for 'cargo $component' (rustup)"
      rustup component add "${component/fmt/rustfmt}"
    fi
  done
fi

# 3. Front end's npm packages -------------------------------------------------------
ui="$REPO_ROOT/ui"
if [ ! -f "$ui/package.json" ]; then
  warn "ui/package.json not found: skipping npm ci (the front end is not there yet)"
elif [ ! -f "$ui/package-lock.json" ]; then
  die "ui/package-lock.json is missing: 'npm ci' needs it (run 'npm install' in ui/ and commit the lock file)"
elif [ ! -d "$ui/node_modules" ] \
  || [ ! -f "$ui/node_modules/.package-lock.json" ] \
  || [ "$ui/package-lock.json" -nt "$ui/node_modules/.package-lock.json" ]; then
  step "installing the front end's npm packages: npm ci (ui/)"
  (cd "$ui" && npm ci --no-audit --no-fund)
else
  step "npm packages: ui/node_modules is up to date with package-lock.json"
fi

if [ "$mode" = test ]; then
  # 4. tauri-driver, pinned to 2.x (crates.io's newest is a 3.0 alpha) ----------------
  # tauri-driver 2.1.0 has no --version flag: ask cargo which version it
  # installed (offline), and check the binary is really there.
  have_td=""
  if [ -x "$CARGO_BIN_DIR/tauri-driver" ]; then
    have_td="$(cargo install --list 2>/dev/null \
      | sed -n 's/^tauri-driver v\([^:]*\):$/\1/p' || true)"
  fi
  if [ "$have_td" = "$TAURI_DRIVER_VERSION" ]; then
    step "tauri-driver $TAURI_DRIVER_VERSION: present ($CARGO_BIN_DIR/tauri-driver)"
  else
    step "installing tauri-driver $TAURI_DRIVER_VERSION: cargo install (about 1.5 min)${have_td:+, replacing $have_td}"
    cargo install tauri-driver --version "$TAURI_DRIVER_VERSION" --locked --force
  fi

  # 4b. cargo-deny, pinned: licences, bans and sources of the dependency tree (deny.toml)
  have_cd="$(cargo deny --version 2>/dev/null | sed -n 's/^cargo-deny \([^ ]*\).*/\1/p' || true)"
  if [ "$have_cd" = "$CARGO_DENY_VERSION" ]; then
    step "cargo-deny $CARGO_DENY_VERSION: present"
  else
    step "installing cargo-deny $CARGO_DENY_VERSION: cargo install (about 5 min)${have_cd:+, replacing $have_cd}"
    cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked --force
  fi

  # 5. The end-to-end test's Python venv ------------------------------------------------
  req="$REPO_ROOT/tests/e2e/requirements.txt"
  stamp="$E2E_VENV/.requirements.installed"
  if [ ! -x "$E2E_VENV/bin/python" ] || ! "$E2E_VENV/bin/python" -c 'import sys' 2>/dev/null; then
    step "creating the end-to-end test's Python venv: tests/e2e/.venv"
    rm -rf "$E2E_VENV"
    if ! python3 -m venv "$E2E_VENV"; then
      # Debian's own python3 needs python3-venv for `-m venv`.
      rm -rf "$E2E_VENV"
      ensure_debs python3-venv
      python3 -m venv "$E2E_VENV"
    fi
  fi
  if ! cmp -s "$req" "$stamp"; then
    step "installing the end-to-end test's Python packages: pip install -r tests/e2e/requirements.txt"
    "$E2E_VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$req"
    cp "$req" "$stamp"
  else
    step "Python packages: tests/e2e/.venv is up to date with requirements.txt"
  fi
fi

if [ "$mode" = package ]; then
  # 6. Tauri's bundler (the .deb of scripts/package.sh), pinned; its own folder,
  # so the front end's lock file and CI's npm ci never carry it.
  cli_dir="$REPO_ROOT/tools/tauri-cli"
  if [ -x "$cli_dir/node_modules/.bin/tauri" ] \
    && [ "$("$cli_dir/node_modules/.bin/tauri" --version 2>/dev/null)" = "tauri-cli $TAURI_CLI_VERSION" ]; then
    step "tauri-cli $TAURI_CLI_VERSION: present ($cli_dir)"
  else
    step "installing tauri-cli $TAURI_CLI_VERSION: npm install @tauri-apps/cli (tools/tauri-cli/)"
    mkdir -p "$cli_dir"
    npm install --prefix "$cli_dir" --no-audit --no-fund --no-save "@tauri-apps/cli@$TAURI_CLI_VERSION"
  fi
fi

step "setup ($mode) done in $(fmt_duration $(($(now_s) - setup_started)))"
