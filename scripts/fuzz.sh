#!/usr/bin/env bash
# Fuzz the engine's input functions on stable Rust: value normalisers, the
# credit-code validator, the guide parser and the zip pre-flight check.
#
#   scripts/fuzz.sh [SECONDS]         # mutation fuzzer, no install needed (default 120 s in total)
#   scripts/fuzz.sh --afl [SECONDS]   # coverage-guided, cargo-afl (AFL++); installs cargo-afl if missing
#
# SECONDS is the total, split evenly over the 4 targets. Each target runs in
# its own process, at nice 19, one at a time (one core). Seeds: the sample
# workbooks, the shipped guide, and the robustness corpus (tests/corpus).
# Findings (panics and broken invariants) are saved under target/fuzz/TARGET/
# (mutation fuzzer) or target/afl-out/TARGET/default/crashes/ (AFL).
# Prints one line per target and exits 1 if any target found a crash.
# Targets: src-tauri/engine/examples/fuzz/targets.rs.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

mode=mutation
if [ "${1:-}" = "--afl" ]; then
  mode=afl
  shift
fi
total=${1:-120}
targets=(normalise uscc guide zip)
per=$((total / ${#targets[@]}))
[ "$per" -ge 1 ] || per=1
seed_dirs=("$REPO_ROOT/tests/corpus")

echo "==> building the fuzzer (dev profile: overflow checks and debug assertions on)"
cargo build -q -p reviewdesk-engine --example fuzz
bin="$REPO_ROOT/target/debug/examples/fuzz"

summaries=()
status=0
table_head() {
  printf '%-10s %12s %10s %8s %8s %8s %11s\n' target execs exec/s crashes unique corpus "$1"
}

if [ "$mode" = afl ]; then
  if ! cargo afl --version >/dev/null 2>&1; then
    echo "==> installing cargo-afl (crates.io; builds AFL++, about 3 minutes)"
    cargo install cargo-afl --locked
  fi
  echo "==> building the AFL harnesses (fuzz/afl, release with overflow checks)"
  (cd fuzz/afl && CARGO_TARGET_DIR="$REPO_ROOT/target/afl" cargo afl build --release -q)
  out="$REPO_ROOT/target/afl-out"
  for t in "${targets[@]}"; do
    echo "==> $t for ${per}s (AFL++)"
    rm -rf "$out/$t" "$out/seeds-$t" "$out/seeds-$t.dict"
    mkdir -p "$out"
    "$bin" "$t" --dump-seeds "$out/seeds-$t" "${seed_dirs[@]}"
    AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
      AFL_SUPPRESS_ENV_WARNINGS=1 nice -n 19 cargo afl fuzz -V "$per" \
      -i "$out/seeds-$t" -o "$out/$t" -x "$out/seeds-$t.dict" \
      "$REPO_ROOT/target/afl/release/$t" >"$out/$t.log" 2>&1 || true
    stats="$out/$t/default/fuzzer_stats"
    if [ -f "$stats" ]; then
      get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
      crashes=$(get saved_crashes)
      summaries+=("fuzz-summary $t execs=$(get execs_done) exec_per_s=$(get execs_per_sec) crashes=$crashes unique=$(ls "$out/$t/default/crashes" 2>/dev/null | grep -c '^id' || true) corpus=$(get corpus_count) coverage=$(get bitmap_cvg)")
      [ "${crashes:-0}" = 0 ] || status=1
    else
      summaries+=("fuzz-summary $t did not start: see $out/$t.log")
      status=1
    fi
  done
  last_col=coverage
else
  for t in "${targets[@]}"; do
    echo "==> $t for ${per}s"
    line=$(nice -n 19 "$bin" "$t" "$per" "${seed_dirs[@]}" | tail -n 1) || {
      rc=$?
      line="fuzz-summary $t aborted (exit $rc): the last input is lost; rerun with FUZZ_SEED to reproduce"
      status=1
    }
    summaries+=("$line")
    case "$line" in *" crashes=0 "*) ;; *) status=1 ;; esac
  done
  last_col=slowest_ms
fi

echo
echo "fuzz ($mode): ${total}s total, ${per}s per target, $(nproc) cores (run at nice 19, one target at a time)"
table_head "$last_col"
for l in "${summaries[@]}"; do
  # fuzz-summary NAME execs=N exec_per_s=N crashes=N unique=N corpus=N (slowest_ms|coverage)=N
  read -r _ name rest <<<"$l"
  if [[ "$rest" == execs=* ]]; then
    declare -A f=()
    for kv in $rest; do f[${kv%%=*}]=${kv#*=}; done
    printf '%-10s %12s %10s %8s %8s %8s %11s\n' "$name" "${f[execs]}" "${f[exec_per_s]}" \
      "${f[crashes]}" "${f[unique]}" "${f[corpus]}" "${f[$last_col]}"
    unset f
  else
    echo "$name $rest"
  fi
done
if [ "$status" -eq 0 ]; then
  echo "no crashes"
else
  echo "CRASHES FOUND: see target/fuzz/ or target/afl-out/"
fi
exit "$status"
