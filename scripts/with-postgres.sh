#!/usr/bin/env bash
# Runs a command next to a throwaway PostgreSQL 15 server (DESIGN.md §3, §9).
# Usage: scripts/with-postgres.sh <command> [args...]
#   e.g. scripts/with-postgres.sh build/src/store/store_contract_test
#        scripts/with-postgres.sh sh -c 'psql "$JIANDU_TEST_PG_URL"'
# The server lives in a new temporary directory, listens only on a Unix socket there, trusts
# local connections and is stopped and deleted when the command ends, fails or is interrupted.
# The command gets JIANDU_TEST_PG_URL (superuser "postgres", database "postgres") and its exit
# code becomes the script's.
set -euo pipefail

if (($# == 0)); then
  sed -n '2,9p' "$0" >&2
  exit 2
fi

pg_bin=${JIANDU_PG_BIN:-/usr/lib/postgresql/15/bin}
if [[ ! -x "$pg_bin/pg_ctl" ]]; then
  echo "with-postgres: $pg_bin/pg_ctl not found; run scripts/install-deps.sh" >&2
  exit 2
fi

# PostgreSQL refuses to run as root: then the cluster belongs to Debian's postgres user.
as_owner=()
if ((EUID == 0)); then
  as_owner=(runuser -u postgres --)
fi

# RAM-backed when there is room: CREATE DATABASE (once per contract test) is then about four
# times faster. Docker's default 64 MB /dev/shm is too small for a cluster; TMPDIR wins if set.
base=${TMPDIR:-/tmp}
if [[ -z "${TMPDIR:-}" && -d /dev/shm && -w /dev/shm ]] &&
    (($(df -Pk /dev/shm | awk 'NR == 2 { print $4 }') >= 1048576)); then
  base=/dev/shm
fi
dir=$(mktemp -d "$base/jiandu-pg.XXXXXX")
data="$dir/data"
server=""  # pid of the server's process (runuser, or postgres itself when not root)

# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  # Stop the command if a signal cut it short. Polled, not `wait`ed: inside a trap bash can
  # lose track of a child that died of the same signal and then wait forever.
  for pid in $(jobs -p); do
    if [[ "$pid" != "$server" ]]; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  if [[ -n "$server" ]]; then
    # Interrupted during start-up: the server writes its pid file within milliseconds.
    for _ in $(seq 20); do
      if [[ -f "$data/postmaster.pid" ]] || ! kill -0 "$server" 2>/dev/null; then
        break
      fi
      sleep 0.1
    done
    if [[ -f "$data/postmaster.pid" ]]; then
      "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop \
        >/dev/null 2>&1 || true
    fi
    # pg_ctl gives up after its timeout; never leave a server behind.
    if [[ -f "$data/postmaster.pid" ]]; then
      pid=$(head -n 1 "$data/postmaster.pid")
      if [[ "$pid" =~ ^[0-9]+$ ]]; then
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$dir"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The test process (any user) must reach the socket: the top directory is world-traversable;
# initdb makes the data directory itself private.
chmod 755 "$dir"
if ((EUID == 0)); then
  chown postgres: "$dir"
fi

if ! "${as_owner[@]}" "$pg_bin/initdb" -D "$data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  exit 1
fi
{
  echo "listen_addresses = ''"
  echo "unix_socket_directories = '$dir'"
  echo "fsync = off"
  echo "full_page_writes = off"
  echo "synchronous_commit = off"
  echo "max_connections = 200"
} >>"$data/postgresql.conf"

# Started as our own child rather than by `pg_ctl start`, which orphans the server to PID 1:
# this way it is reaped as soon as it stops and not even a defunct entry outlives the script.
# Its own session keeps Ctrl-C and signals to our process group away from it (and from
# runuser, which would kill it without reaping it); cleanup stops it with pg_ctl.
setsid -w "${as_owner[@]}" "$pg_bin/postgres" -D "$data" >"$dir/server.log" 2>&1 &
server=$!
for _ in $(seq 600); do
  if "$pg_bin/pg_isready" -q -h "$dir" || ! kill -0 "$server" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
if ! "$pg_bin/pg_isready" -q -h "$dir"; then
  echo "with-postgres: the server did not start:" >&2
  cat "$dir/server.log" >&2
  exit 1
fi

export JIANDU_TEST_PG_URL="postgresql:///postgres?host=$dir&user=postgres"
echo "with-postgres: PostgreSQL 15 on socket $dir (JIANDU_TEST_PG_URL=$JIANDU_TEST_PG_URL)" >&2

# In the background so that INT/TERM run the traps at once instead of after the command;
# the explicit <&0 keeps the command's stdin (bash gives background jobs /dev/null).
set +e
"$@" <&0 &
wait "$!"
exit "$?"
