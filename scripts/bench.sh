#!/usr/bin/env bash
# Every benchmark of issue 18 in one run, each figure beside its anchor:
#   import   1,000 workbooks into an encrypted store vs calamine and openpyxl,
#            and the CLI import into new encrypted and plain stores
#   score    `reviewdesk score` of 1,000 and 5,000 applicants (time, peak RSS)
#   merge    a review package of 1,000 applicants' acts merged on the home
#   letters  300 letters rendered and signed (no LibreOffice baseline here)
#   window   the app's PSS beside a minimal Tauri 2 window (debug builds)
# Release builds of the CLI examples (one cargo command); the load average is
# printed before each part. BENCH_SKIP="window letters" skips parts;
# BENCH_NO_BUILD=1 uses what is built. CARGO_TARGET_DIR is honoured.
set -euo pipefail
target_dir="${CARGO_TARGET_DIR:-}"
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
target_dir="${target_dir:-$REPO_ROOT/target}"
export CARGO_TARGET_DIR="$target_dir"
skip=" ${BENCH_SKIP:-} "
# openpyxl, the import's anchor, is pinned in the e2e venv (scripts/setup.sh --test)
if [ -x "$E2E_VENV/bin/python3" ]; then export PATH="$E2E_VENV/bin:$PATH"; fi
rel="$target_dir/release"
cd "$REPO_ROOT"

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  step "release build: the CLI and its examples, the letters benchmark"
  cargo build --release -p reviewdesk-cli --bins --examples
  cargo build --release -p reviewdesk-engine --example letters_bench
fi

load() { note "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }
part() { case "$skip" in *" $1 "*) return 1 ;; esac; step "$2"; load; }

if part import "import: 1,000 workbooks (anchors: calamine alone, openpyxl; goals ≤ 1.3×, ≥ 20×, encrypted ≤ 1.10× plain)"; then
  IMPORT_BENCH_CLI=1 "$rel/examples/import_bench" 1000
fi
if part score "score: 1,000 then 5,000 applicants (anchor: 1,000; goal linear and ≤ 150 MiB at 5,000)"; then
  "$rel/examples/score_bench" 1000
  "$rel/examples/score_bench" 5000
fi
if part merge "merge: a review package of 1,000 applicants' acts (goal ≤ 2 s)"; then
  "$rel/examples/merge_bench" 1000
fi
if part letters "letters: 300 (goals ≥ 200/s, ≤ 110 KB; anchor LibreOffice 15.5/s, skipped here)"; then
  LETTERS_BENCH_SOFFICE=0 "$rel/examples/letters_bench" 300
fi
if part window "window memory: the app beside a minimal Tauri 2 window (goal ≤ floor + 60 MB)"; then
  bash scripts/bench-window-memory.sh
fi
load
