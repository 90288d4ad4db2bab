#!/usr/bin/env bash
# Fails when a source file includes a project header from a module it may not use.
# The allowed edges are the block between <!-- layering:begin --> and <!-- layering:end --> in
# docs/architecture.md ("module: dep dep ..."). Modules are the folders under src/ (store/sqlite
# and store/postgres are store_sqlite and store_postgres; store/testing is store_testing), plus
# tests, bench and fuzz at the top level.
# Usage: scripts/check-layering.sh [repo-root]
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
doc="$root/docs/architecture.md"
[[ -f "$doc" ]] || { echo "layering: $doc not found" >&2; exit 2; }

declare -A allowed
while IFS= read -r line; do
  [[ "$line" =~ ^([a-z_]+):(.*)$ ]] || continue
  allowed[${BASH_REMATCH[1]}]=" ${BASH_REMATCH[1]} ${BASH_REMATCH[2]} "
done < <(sed -n '/<!-- layering:begin -->/,/<!-- layering:end -->/p' "$doc")

module_of_file() {  # path relative to root → module name
  local rel=$1
  case "$rel" in
    src/store/sqlite/*) echo store_sqlite ;;
    src/store/postgres/*) echo store_postgres ;;
    src/store/testing/*) echo store_testing ;;
    src/*) rel=${rel#src/}; echo "${rel%%/*}" ;;
    tests/*) echo tests ;;
    bench/*) echo bench ;;
    fuzz/*) echo fuzz ;;
  esac
}

module_of_include() {  # "store/sqlite/x.h" → store_sqlite
  case "$1" in
    store/sqlite/*) echo store_sqlite ;;
    store/postgres/*) echo store_postgres ;;
    store/testing/*) echo store_testing ;;
    *) echo "${1%%/*}" ;;
  esac
}

status=0
checked=0
while IFS= read -r -d '' file; do
  rel=${file#"$root"/}
  mod=$(module_of_file "$rel")
  [[ -n "$mod" ]] || continue
  if [[ -z "${allowed[$mod]+x}" ]]; then
    echo "layering: $rel: module '$mod' has no entry in docs/architecture.md"
    status=1
    continue
  fi
  while IFS= read -r inc; do
    target=$(module_of_include "$inc")
    [[ -d "$root/src/${inc%%/*}" ]] || continue   # not a project header
    checked=$((checked + 1))
    # Unit tests beside a module may use the test-only store factories.
    if [[ "$target" == store_testing && "$rel" == *_test.cc ]]; then continue; fi
    if [[ "${allowed[$mod]}" != *" $target "* ]]; then
      echo "layering: $rel includes \"$inc\": $mod may not depend on $target"
      status=1
    fi
  done < <(grep -hoE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"[a-z_]+/[^"]+"' "$file" \
             | sed -E 's/.*"([^"]+)".*/\1/')
done < <(find "$root/src" "$root/tests" "$root/bench" "$root/fuzz" -type f \
           \( -name '*.h' -o -name '*.cc' \) -print0 2>/dev/null)

if ((status == 0)); then
  echo "layering: OK ($checked project includes checked)"
fi
exit $status
