#!/usr/bin/env bash
# Installs what Ahod needs from Debian: the servers the AppHost runs as executables (under Aspire's DCP) and the
# browser the end-to-end tests drive. Idempotent: a no-op when everything is present. Nothing is started.
set -euo pipefail

packages=(
  postgresql        # PostgreSQL 15: every service's database
  redis-server      # Redis 7: sessions, presence, fan-out
  rabbitmq-server   # RabbitMQ 3.10 (+ Erlang, epmd): integration events
  chromium          # the browser tests (Playwright drives Debian's chromium; it cannot download its own here)
  libvips-tools     # vipsthumbnail: the baseline of bench/Ahod.Marketplace.Bench (the service uses NetVips' own libvips)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "prerequisites: all present (${packages[*]})"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "prerequisites: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "prerequisites: installed ${missing[*]}"
