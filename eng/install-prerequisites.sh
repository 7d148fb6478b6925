#!/usr/bin/env bash
# Installs what Ahod needs from Debian: the servers the AppHost runs as executables (under Aspire's DCP) and the
# browser the end-to-end tests drive; then the web app's Node packages (npm ci, from web/package-lock.json).
# Idempotent: a no-op when everything is present. Nothing is started.
set -euo pipefail

packages=(
  postgresql        # PostgreSQL 15: every service's database
  redis-server      # Redis 7: sessions, presence, fan-out
  rabbitmq-server   # RabbitMQ 3.10 (+ Erlang, epmd): integration events
  chromium          # the browser tests (Playwright drives Debian's chromium; it cannot download its own here)
  libvips-tools     # vipsthumbnail: the baseline of bench/Ahod.Marketplace.Bench (the service uses NetVips' own libvips)
  nodejs            # Node 18+ for the web app (web/: Vite, Vitest); a newer Node already on PATH is used as it is
  npm
)

missing=()
for p in "${packages[@]}"; do
  # A Node installed outside apt (nvm, NodeSource, a CI image) counts: only its version matters.
  if [ "$p" = nodejs ] || [ "$p" = npm ]; then
    if command -v "${p/nodejs/node}" >/dev/null 2>&1; then continue; fi
  fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "prerequisites: all present (${packages[*]})"
else
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "prerequisites: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "prerequisites: installed ${missing[*]}"
fi

# The web app's packages, exactly as locked; skipped when node_modules already matches the lockfile.
web="$(cd "$(dirname "$0")/.." && pwd)/web"
if [ ! -f "$web/node_modules/.package-lock.json" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  echo "prerequisites: npm ci in web/"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
else
  echo "prerequisites: web/node_modules up to date"
fi
