#!/usr/bin/env bash
# Set up and run every ReviewDesk test, in order, each stage announced and timed:
#
#   1. setup          scripts/setup.sh --test (Debian packages, npm ci,
#                     tauri-driver 2.1.0, cargo-deny 0.20.2, the e2e Python
#                     venv): quick when done
#   2. ui build       npm run build in ui/ (ui/dist must exist before the app
#                     crate compiles, clippy included)
#   3. fmt            cargo fmt --all -- --check
#   4. clippy         cargo clippy --workspace --all-targets -- -D warnings
#   5. deny           cargo fetch --locked (the crates of every platform, which
#                     `cargo metadata` reads), then cargo deny --offline check
#                     licenses bans sources (deny.toml; the advisory database
#                     needs GitHub, unreachable here)
#   6. build          cargo build --workspace --all-targets: the engine, the
#                     CLI, the app binary the e2e drives and every test, in one
#                     build with the same features as `cargo test --workspace`
#                     (building the app alone with `-p` resolves other features
#                     and rebuilt a third of the tree)
#   7. cargo test     cargo test --workspace (engine, CLI, app command layer):
#                     runs what stage 6 built
#   8. ui test        npm test in ui/ (vitest)
#   9. e2e            tests/e2e/run.sh: the real app under Xvfb via tauri-driver
#
# A failing check (fmt, clippy, tests) does not hide the others: every stage
# that can still run does, and the script exits 1 at the end if any failed.
# Stages that later ones depend on (setup, ui build, build) stop the run.
# Last line: "stages: N passed, N failed". Screenshots: artifacts/e2e/.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

# The stages are the run_stage lines at the end of this file: count them, so
# the "[n/total]" counter and the summary always agree with what runs.
total_stages=$(grep -c '^run_stage ' "${BASH_SOURCE[0]}")
stage_no=0
passed=0
failed=0
results=()
run_started=$(now_s)

summary() {
  local line
  free_space "at the end"
  printf '\n==> summary (total %s)\n' "$(fmt_duration $(($(now_s) - run_started)))"
  for line in "${results[@]}"; do
    printf '    %s\n' "$line"
  done
  printf 'stages: %d passed, %d failed\n' "$passed" "$failed"
}

# run_stage NAME required|check COMMAND...: announce, run, time and record it.
run_stage() {
  local name=$1 kind=$2 started rc=0 took
  shift 2
  stage_no=$((stage_no + 1))
  local shown="$*"
  [ "$1" != in_dir ] || shown="(in $2/) ${*:3}"
  printf '\n==> [%d/%d] %s: %s\n' "$stage_no" "$total_stages" "$name" "$shown"
  started=$(now_s)
  "$@" || rc=$?
  took=$(fmt_duration $(($(now_s) - started)))
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    results+=("$(printf '%-11s passed  %7s' "$name" "$took")")
    printf '==> %s passed in %s\n' "$name" "$took"
  else
    failed=$((failed + 1))
    results+=("$(printf '%-11s FAILED  %7s  (exit %d)' "$name" "$took" "$rc")")
    printf '==> %s FAILED in %s (exit %d)\n' "$name" "$took" "$rc"
    if [ "$kind" = required ]; then
      local skipped
      for ((skipped = stage_no + 1; skipped <= total_stages; skipped++)); do
        failed=$((failed + 1))
      done
      results+=("(the remaining $((total_stages - stage_no)) stages were not run: they need '$name'; counted as failed)")
      summary
      exit 1
    fi
  fi
}

# Run a command inside a directory (a subshell, so the caller's cwd stays).
in_dir() {
  local dir=$1
  shift
  (cd "$dir" && "$@")
}

# cargo-deny reads `cargo metadata`, which needs the manifests of the crates
# of every target platform (windows-sys, android_system_properties…), and a
# build for this machine never downloads those: fetch them all first (no-op
# when the cargo home has them), then check offline.
deny_check() {
  cargo fetch --locked --quiet
  cargo deny --offline check licenses bans sources
}

# Tests that need an installed tool (pdftotext, soffice, openpyxl…) fail
# instead of skipping: setup installed them all.
export REVIEWDESK_REQUIRE_TOOLS=1

# Disk: a CI machine may have little free space (a run once failed with "No
# space left on device" while linking the app). Incremental compilation caches
# are a third of the target folder (1.3 of 4.4 GB) and buy nothing in a run
# that builds once: off unless the caller asks for them.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

# free_space WHEN: one line with the free space where the build writes, so a
# run that runs out of disk says how much there was and when.
free_space() {
  local avail
  avail=$(df -Pm "$REPO_ROOT" | awk 'NR == 2 {print $4}')
  printf '==> free disk %s: %s MiB (target/: %s MiB)\n' "$1" "$avail" \
    "$(du -sm "$REPO_ROOT/target" 2>/dev/null | cut -f1 || echo 0)"
}
free_space "at the start"

run_stage setup required bash scripts/setup.sh --test
run_stage "ui build" required in_dir ui npm run build
run_stage fmt check cargo fmt --all -- --check
run_stage clippy check cargo clippy --workspace --all-targets -- -D warnings
run_stage deny check deny_check
free_space "before the build"
run_stage build required cargo build --workspace --all-targets
free_space "after the build"
run_stage "cargo test" check cargo test --workspace
run_stage "ui test" check in_dir ui npm test
run_stage e2e check bash tests/e2e/run.sh

summary
[ "$failed" -eq 0 ]
