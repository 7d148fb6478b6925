#!/usr/bin/env bash
# Runs Debian's PostgreSQL for the AppHost: initdb on first start, then the server on loopback at $PGPORT.
# As root it runs the server as the `postgres` user (PostgreSQL refuses root). SIGTERM/SIGINT from the
# orchestrator become a fast shutdown (SIGINT), so open client connections never hold a stop up.
# Usage: postgres.sh <data folder> [extra postgres args...]; env: PGPORT, POSTGRES_PASSWORD.
set -euo pipefail
root="$1"; shift
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
  echo "postgres: PostgreSQL is not installed (run eng/install-prerequisites.sh)" >&2; exit 127
fi
mkdir -p "$root/run"
pgdata="$root/pgdata"
as_owner=()
if [ "$(id -u)" = 0 ]; then
  as_owner=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  chown -R postgres:postgres "$root"
  if ! "${as_owner[@]}" test -x "$root"; then
    echo "postgres: the data folder $root is not reachable by the postgres user (move the repository out of /root?)" >&2; exit 1
  fi
fi
if [ ! -f "$pgdata/PG_VERSION" ]; then
  echo "postgres: first start, initdb in $pgdata"
  pwfile="$root/pwfile"
  (umask 077; printf '%s' "$POSTGRES_PASSWORD" > "$pwfile")
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pwfile"
  "${as_owner[@]}" "$bin/initdb" -D "$pgdata" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-instructions
  rm -f "$pwfile"
fi
"${as_owner[@]}" "$bin/postgres" -D "$pgdata" -p "$PGPORT" -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories="$root/run" -c max_connections=400 -c shared_buffers=128MB "$@" &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null' TERM INT
while kill -0 "$pid" 2>/dev/null; do wait "$pid" || true; done
wait "$pid" 2>/dev/null
