#!/usr/bin/env bash
# Runs every benchmark against its peer in one go and prints one table of figures and ratios
# (docs/benchmarks.md explains each). Called by `make bench`.
# Usage: scripts/run-benchmarks.sh [build-dir]
#   JIANDU_BENCH_QUICK=1   short steps: a smoke run whose figures are not the documented ones
#   JIANDU_BENCH_NO_PG=1   skip the PostgreSQL run of the audited-write benchmark
# Raw output goes to bench-output/<UTC time>/ (one file per benchmark, plus summary.txt).
# The benchmarks want a quiet machine: anything else running shows up in the tail latencies.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
bin="$build/bench"
jiandu="$build/src/cli/jiandu"

for f in "$bin/http_benchmark" "$bin/audit_write_benchmark" "$bin/audit_verify_benchmark" \
         "$bin/ballot_benchmark" "$bin/monitor_benchmark" "$jiandu"; do
  if [[ ! -x "$f" ]]; then
    echo "run-benchmarks: $f is missing; build first (make build)" >&2
    exit 2
  fi
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$nginx" sqlite3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-benchmarks: $tool not found; run scripts/install-deps.sh" >&2
    exit 2
  fi
done

out="$root/bench-output/$(date -u +%Y%m%dT%H%M%SZ)"
# Scratch data for the write benchmarks lives on the repository's disk, not in a tmpfs /tmp:
# an fsync must cost what it costs on a real disk.
scratch="$out/scratch"
mkdir -p "$scratch"

http_args=()
write_args=()
verify_args=()
ballot_args=()
monitor_args=()
if [[ "${JIANDU_BENCH_QUICK:-0}" == 1 ]]; then
  http_args=(--step-seconds 2 --fixed-seconds 3 --refine-steps 2 --retries 0)
  write_args=(--seconds 2)
  verify_args=(--events 100000)
  ballot_args=(--rounds burst)  # one burst of the 500 ballots; set-up (password hashing) dominates
  monitor_args=(--scale 0.05)   # 5 % of the rows (about 42 MB of CSV)
fi

step() { printf '\n==> %s\n' "$*"; }
failed=()
run() {  # run <name> <command...>: tee into $out/<name>.txt, remember failures, go on
  local name=$1
  shift
  step "$name: $*"
  if ! "$@" 2>&1 | tee "$out/$name.txt"; then
    failed+=("$name")
  fi
}

{
  echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "command: scripts/run-benchmarks.sh ${1:-build}${JIANDU_BENCH_QUICK:+ (JIANDU_BENCH_QUICK=1)}"
  echo "commit:  $(git -C "$root" describe --always --dirty 2>/dev/null || echo none)"
  echo "cpus:    nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "kernel:  $(uname -r)"
  echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min, before the run)"
  echo "build:   $(grep -m1 CMAKE_BUILD_TYPE "$build/CMakeCache.txt" | cut -d= -f2)"
  echo "nginx:   $("$nginx" -v 2>&1)"
  echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1)"
} | tee "$out/machine.txt"

run http "$bin/http_benchmark" --jiandu "$jiandu" --nginx "$nginx" "${http_args[@]}"
run audit-write "$bin/audit_write_benchmark" --dir "$scratch" "${write_args[@]}"
if [[ "${JIANDU_BENCH_NO_PG:-0}" != 1 && -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
  run audit-write-postgres "$root/scripts/with-postgres.sh" \
    "$bin/audit_write_benchmark" --pg-only "${write_args[@]}"
fi
run audit-verify "$bin/audit_verify_benchmark" --dir "$scratch" --jiandu "$jiandu" \
  "${verify_args[@]}"
run ballot "$bin/ballot_benchmark" --dir "$scratch" "${ballot_args[@]}"
# The monitoring engine vs DuckDB (its peer, a benchmark-only npm package installed here into
# bench/monitor/node_modules, never by install-deps.sh) and PostgreSQL; about 845 MB of CSV.
# `npm install`, not `npm ci`: npm 9–11 leave the other platforms' optional DuckDB bindings out of
# a lock file made on Linux, and `npm ci` then refuses it as out of sync (the lock still pins
# every version that is installed).
if (cd "$root/bench/monitor" && npm install --no-audit --no-fund --loglevel=error); then
  mkdir -p "$scratch/monitor"
  monitor=("$bin/monitor_benchmark" --dir "$scratch/monitor" "${monitor_args[@]}")
  if [[ "${JIANDU_BENCH_NO_PG:-0}" != 1 && -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
    run monitor "$root/scripts/with-postgres.sh" "${monitor[@]}"
  else
    run monitor "${monitor[@]}" --no-pg
  fi
else
  echo "run-benchmarks: npm could not install @duckdb/node-api; monitor benchmark skipped" >&2
  failed+=(monitor)
fi
rm -rf "$scratch"

step "Summary (raw output in ${out#"$root"/}/)"
{
  echo "Figure|Jiandu|Peer|Ratio|Target|Met"
  for name in http audit-write audit-write-postgres audit-verify ballot monitor; do
    if [[ -f "$out/$name.txt" ]]; then
      grep '^SUMMARY|' "$out/$name.txt" | cut -d'|' -f2- || true
    fi
  done
} | if command -v column >/dev/null; then column -t -s '|'; else tr '|' '\t'; fi |
  tee "$out/summary.txt"
if ((${#failed[@]} > 0)); then
  echo "run-benchmarks: these benchmarks did not complete: ${failed[*]}" >&2
  exit 1
fi
