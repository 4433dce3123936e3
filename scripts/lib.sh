#!/usr/bin/env bash
# Shared helpers for scripts/setup.sh, scripts/start.sh and scripts/test.sh.
# Source it; it defines functions and a few variables and runs nothing heavy.
# shellcheck shell=bash
# The variables below are used by the scripts that source this file.
# shellcheck disable=SC2034

# Repository root: the parent of this file's folder, whatever the caller's cwd.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# One shared cargo target dir for every script: the workspace's target/.
unset CARGO_TARGET_DIR

# `cargo install` puts binaries (tauri-driver) in $CARGO_HOME/bin: make sure
# it is on PATH even when the caller's shell profile did not add it.
CARGO_BIN_DIR="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in
  *":$CARGO_BIN_DIR:"*) ;;
  *) PATH="$CARGO_BIN_DIR:$PATH" ;;
esac
export PATH

# Debian packages: building the app, running it, and testing it.
# perl + make: the vendored OpenSSL that SQLCipher is built with runs its
# Configure (needs IPC::Cmd from the full perl, not perl-base).
RUNTIME_DEBS=(
  libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev librsvg2-dev
  fonts-noto-cjk xvfb xauth perl make
)
# libreoffice-*-nogui: the template round trip (.xls/.ods) and the letters
# benchmark's mail-merge baseline (soffice --convert-to pdf). xdotool: the
# e2e test that answers the native file dialog (WebDriver cannot reach it).
TEST_DEBS=(
  webkit2gtk-driver poppler-utils libnss3-tools sqlite3 softhsm2
  libreoffice-calc-nogui libreoffice-writer-nogui xdotool
)
TAURI_DRIVER_VERSION="2.1.0"
# The bundler scripts/package.sh builds the .deb with (npm @tauri-apps/cli).
TAURI_CLI_VERSION="2.12.5"
CARGO_DENY_VERSION="0.20.2"
APP_BIN="$REPO_ROOT/target/debug/reviewdesk-app"
E2E_VENV="$REPO_ROOT/tests/e2e/.venv"

# Printing -------------------------------------------------------------------
step() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run '$*' and sudo is not installed"
  fi
}

# Seconds since the epoch, and "1m05s" formatting of a duration.
now_s() { date +%s; }
fmt_duration() {
  local s=$1
  if [ "$s" -ge 60 ]; then
    printf '%dm%02ds' $((s / 60)) $((s % 60))
  else
    printf '%ds' "$s"
  fi
}

# Debian packages --------------------------------------------------------------
# Print the packages among "$@" that are not fully installed.
missing_debs() {
  local pkg status
  for pkg in "$@"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    if [ "$status" != "install ok installed" ]; then
      printf '%s\n' "$pkg"
    fi
  done
}

# Install whichever of "$@" is missing; quick and offline when none is.
ensure_debs() {
  local missing
  mapfile -t missing < <(missing_debs "$@")
  if [ "${#missing[@]}" -eq 0 ]; then
    step "Debian packages: all ${#} present ($*)"
    return 0
  fi
  step "installing Debian packages: ${missing[*]}"
  command -v apt-get >/dev/null 2>&1 \
    || die "apt-get not found: install these packages by hand: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  note "apt-get update"
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=600 -q update
  note "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=600 -q -y install "${missing[@]}"
  mapfile -t missing < <(missing_debs "$@")
  [ "${#missing[@]}" -eq 0 ] || die "still missing after install: ${missing[*]}"
}

# Locale -----------------------------------------------------------------------
# GTK and WebKit need a UTF-8 locale: under the bare C/POSIX locale (an
# environment with no LANG, as `env -i` or some CI runners give) GTK's file
# chooser never opens and the window waits for it. C.UTF-8 is in every
# Debian libc; a UTF-8 locale the caller set is kept.
ensure_utf8_locale() {
  local current="${LC_ALL:-${LC_CTYPE:-${LANG:-}}}"
  case "$current" in
    *.UTF-8 | *.utf8 | *.UTF8 | *.utf-8) ;;
    *)
      export LANG=C.UTF-8
      unset LC_ALL LC_CTYPE
      ;;
  esac
}

# Display ----------------------------------------------------------------------
have_display() {
  [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]
}
