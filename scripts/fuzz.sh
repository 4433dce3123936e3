#!/usr/bin/env bash
# Fuzz the engine's input functions on stable Rust: value normalisers, the
# credit-code validator, the guide parser and the zip pre-flight check.
#
#   scripts/fuzz.sh [SECONDS]     # total time, split evenly over the 4 targets (default 120)
#
# Each target runs in its own process (an abort in one does not lose the
# others), niced, one at a time (one core). Seeds: the sample workbooks, the
# shipped guide, and ../shared/corpus when it exists. Findings (panics and
# broken invariants, unique by location) are saved under target/fuzz/TARGET/.
# Prints one line per target and exits 1 if any target found a crash.
# How it works: src-tauri/engine/examples/fuzz.rs.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

total=${1:-120}
targets=(normalise uscc guide zip)
per=$((total / ${#targets[@]}))
[ "$per" -ge 1 ] || per=1
seed_dirs=()
[ -d "$REPO_ROOT/../shared/corpus" ] && seed_dirs+=("$REPO_ROOT/../shared/corpus")

echo "==> building the fuzzer (dev profile: overflow checks and debug assertions on)"
cargo build -q -p reviewdesk-engine --example fuzz
bin="$REPO_ROOT/target/debug/examples/fuzz"

summaries=()
status=0
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

echo
echo "fuzz: ${total}s total, ${per}s per target, $(nproc) cores (run at nice 19, one target at a time)"
printf '%-10s %12s %10s %8s %8s %8s %11s\n' target execs exec/s crashes unique corpus slowest_ms
for l in "${summaries[@]}"; do
  # fuzz-summary NAME execs=N exec_per_s=N crashes=N unique=N corpus=N slowest_ms=N
  read -r _ name rest <<<"$l"
  if [[ "$rest" == execs=* ]]; then
    declare -A f=()
    for kv in $rest; do f[${kv%%=*}]=${kv#*=}; done
    printf '%-10s %12s %10s %8s %8s %8s %11s\n' "$name" "${f[execs]}" "${f[exec_per_s]}" \
      "${f[crashes]}" "${f[unique]}" "${f[corpus]}" "${f[slowest_ms]}"
    unset f
  else
    echo "$name $rest"
  fi
done
[ "$status" -eq 0 ] && echo "no crashes" || echo "CRASHES FOUND: see target/fuzz/"
exit "$status"
