#!/usr/bin/env bash
# Installs what Jiandu needs to build, test and serve on Debian 12 (bookworm).
# Idempotent: packages already present are skipped, `apt-get update` runs at most once,
# and the web dependencies are installed with `npm ci` only when package-lock.json changed.
# Usage: scripts/install-deps.sh [--no-web]
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
with_web=1
for arg in "$@"; do
  case "$arg" in
    --no-web) with_web=0 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done

packages=(
  # build
  cmake ninja-build g++ pkg-config git ca-certificates
  # libraries (DESIGN.md §7)
  libboost-dev nlohmann-json3-dev libsqlite3-dev libpq-dev libsodium-dev libssl-dev
  libfmt-dev libspdlog-dev libcli11-dev libtomlplusplus-dev libxlsxwriter-dev
  libuchardet-dev libicu-dev libminizip-dev libpugixml-dev libsimdjson-dev zlib1g-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  postgresql-15 sqlite3 nginx-light
  # web build and end-to-end tests (Debian's browser, never a downloaded one)
  nodejs npm chromium fonts-noto-cjk
)

missing=()
for p in "${packages[@]}"; do
  # A package counts as present when dpkg says "install ok installed".
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# nodejs from another source (e.g. NodeSource) also provides npm; don't fight it.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do
    [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p")
  done
  missing=("${filtered[@]}")
fi

if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d keeps Debian's own PostgreSQL and nginx services from starting: Jiandu's
  # tests and benchmarks start their own throwaway servers.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: Debian packages already installed"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 18)); then
  echo "install-deps: Node.js >= 18 is required, found $(node --version)" >&2
  exit 1
fi

if ((with_web)) && [[ -f "$here/web/package-lock.json" ]]; then
  stamp="$here/web/node_modules/.jiandu-lock.sha256"
  want=$(sha256sum "$here/web/package-lock.json" | cut -d' ' -f1)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "install-deps: web dependencies up to date"
  else
    echo "install-deps: npm ci in web/"
    (cd "$here/web" && npm ci --no-audit --no-fund)
    echo "$want" > "$stamp"
  fi
fi
echo "install-deps: done"
