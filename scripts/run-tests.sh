#!/usr/bin/env bash
# Runs every test: the layering check, unit and property tests, the store contract suite on
# SQLite and on a throwaway PostgreSQL server, the HTTP API integration tests on both backends,
# and the web unit and end-to-end tests in Debian's Chromium. Called by `make test`.
# Usage: scripts/run-tests.sh [build-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out="$root/test-output"
mkdir -p "$out"
export JIANDU_BIN="$build/src/cli/jiandu"
export JIANDU_TEST_OUTPUT="$out"

step() { printf '\n==> %s\n' "$*"; }

step "C++ tests (unit, property, contract on SQLite and PostgreSQL)"
# One throwaway PostgreSQL server serves the C++ suites and the API tests on PostgreSQL.
"$root/scripts/with-postgres.sh" bash -c '
  set -euo pipefail
  ctest --test-dir "$0" --output-on-failure -j2 --timeout 600
  printf "\n==> HTTP API integration tests (SQLite and PostgreSQL)\n"
  node --test --test-reporter=spec "$1"/tests/api/*.test.mjs
' "$build" "$root"

step "Web unit tests (vitest)"
(cd "$root/web" && npx vitest run)

step "Web end-to-end tests (Chromium)"
(cd "$root/web" && node e2e/run.mjs)

step "All tests passed"
