#!/usr/bin/env bash
# Runs Debian's redis-server for the AppHost on loopback at $REDIS_PORT with a password and an append-only file.
# The password goes through a config file (mode 600), never the command line.
# Usage: redis.sh <data folder> [extra config lines as "key value" args...]; env: REDIS_PORT, REDIS_PASSWORD.
set -euo pipefail
root="$1"; shift
command -v redis-server >/dev/null || { echo "redis: redis-server is not installed (run eng/install-prerequisites.sh)" >&2; exit 127; }
mkdir -p "$root"
conf="$root/redis.conf"
(umask 077; {
  printf 'port %s\nbind 127.0.0.1\ndir %s\nrequirepass "%s"\nappendonly yes\nappendfsync everysec\ndaemonize no\n' \
    "$REDIS_PORT" "$root" "$REDIS_PASSWORD"
  for line in "$@"; do printf '%s\n' "$line"; done
} > "$conf")
exec redis-server "$conf"
