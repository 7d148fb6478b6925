#!/usr/bin/env bash
# How long the whole app takes from a built tree to every resource healthy, beside RabbitMQ's own boot time in the
# same run (the slowest server, and the floor for the whole app), and what the app holds in memory once idle.
# Usage: bash bench/startup.sh [idle seconds, default 30]. Runs Ahod.AppHost as `dotnet run` would (its build output,
# random ports, a throwaway state folder); build first (`dotnet build Ahod.sln`, or -c Release and CONFIGURATION=Release).
# STARTUP_WARM=1 measures the everyday start of the README's first command instead: the app as a person runs it (durable
# servers, the dashboard receiving telemetry, the web dev server) started a second time on the data of a first start,
# beside RabbitMQ's own second boot on its data. STARTUP_ARGS adds AppHost arguments
# (--Logging:LogLevel:Ahod.Hosting=Debug logs each resource's state changes with their time); STARTUP_DETAIL=1 prints
# each process's CPU seconds until healthy to stderr; STARTUP_LOG=file keeps the AppHost's console output.
set -euo pipefail
cd "$(dirname "$0")/.."
idle="${1:-30}"
configuration="${CONFIGURATION:-Debug}"
dll="Ahod.AppHost/bin/$configuration/net10.0/Ahod.AppHost.dll"
[ -f "$dll" ] || { echo "build first: $dll is missing" >&2; exit 1; }
state="$(mktemp -d /tmp/ahod-startup.XXXXXX)"; chmod 755 "$state"
log="$state/apphost.log"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# The environment of the AppHost's launch profile (Ahod.AppHost/Properties/launchSettings.json), as `dotnet run` sets it.
export DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
export ASPNETCORE_URLS="http://127.0.0.1:$(free_port)" ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$(free_port)"
export ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="http://127.0.0.1:$(free_port)"
warm="${STARTUP_WARM:-}"
# The baseline: RabbitMQ alone until it listens: its first boot on an empty data folder (as the app's ephemeral one), or
# with STARTUP_WARM its second boot on the data of a first.
rabbit_dir="$state/rabbit-alone"; epmd_port="$(free_port)"; amqp_port="$(free_port)"; dist_port="$(free_port)"
epmd -port "$epmd_port" -address 127.0.0.1 & epmd_pid=$!
boot_rabbit() {
  local start_ms; start_ms=$(date +%s%3N)
  RABBITMQ_NODE_PORT="$amqp_port" RABBITMQ_DIST_PORT="$dist_port" ERL_EPMD_PORT="$epmd_port" RABBITMQ_DEFAULT_USER=bench \
    RABBITMQ_DEFAULT_PASS=bench bash Ahod.Hosting/scripts/rabbitmq.sh "$rabbit_dir" > "$state/rabbit-alone.log" 2>&1 & rabbit_pid=$!
  until (echo > "/dev/tcp/127.0.0.1/$amqp_port") 2>/dev/null; do
    kill -0 "$rabbit_pid" 2>/dev/null || { echo "RabbitMQ exited before it listened:" >&2; tail -n 20 "$state/rabbit-alone.log" >&2; exit 1; }
    sleep 0.1
  done
  rabbit_ms=$(( $(date +%s%3N) - start_ms ))
  kill "$rabbit_pid" 2>/dev/null; wait "$rabbit_pid" 2>/dev/null || true
  while pgrep -f -- "$rabbit_dir" > /dev/null; do sleep 0.1; done
}
boot_rabbit; [ -z "$warm" ] || boot_rabbit
kill "$epmd_pid"; wait "$epmd_pid" 2>/dev/null || true

# Ephemeral: throwaway servers tuned for speed, no web dev server, no telemetry receiver (as the tests run the app).
# Warm: as `dotnet run --project Ahod.AppHost` does, with the dashboard's OTLP endpoint receiving every service's telemetry.
mode=(--Ahod:Ephemeral=true)
[ -z "$warm" ] || mode=(--Ahod:Ephemeral=false)
start_host() {
  (cd Ahod.AppHost && exec dotnet "bin/$configuration/net10.0/Ahod.AppHost.dll" --DcpPublisher:RandomizePorts=true \
    "--Ahod:StateDirectory=$state" "${mode[@]}" ${STARTUP_ARGS:-}) > "$log" 2>&1 &
  host=$!
}
start_host
# Every process of the app: DCP (it watches the AppHost's pid), its children, and the servers (by their state folder).
app_pids() { for p in $host $(pgrep -f -- "--monitor $host") $(pgrep -f -- "$state"); do echo $p; pstree -pT $p | grep -o '([0-9]*)' | tr -d '()'; done | sort -un; }
# TERM, not INT: a background job of a non-interactive shell ignores SIGINT, and the app would outlive this script.
# The servers and services stop after the AppHost has exited; wait for them, so that runs in a row do not overlap.
halt_app() {
  local pids; pids="$(app_pids)"
  kill -TERM $host 2>/dev/null; wait $host 2>/dev/null
  for _ in $(seq 1 300); do ps -p "$(echo $pids | tr ' ' ,)" > /dev/null || break; sleep 0.1; done
}
stop_app() { halt_app; [ -z "${STARTUP_LOG:-}" ] || cp "$log" "$STARTUP_LOG"; rm -rf "$state"; }
trap stop_app EXIT
wait_healthy() {
  for _ in $(seq 1 600); do grep -q "All resources healthy in" "$log" && break; kill -0 $host 2>/dev/null || { cat "$log"; exit 1; }; sleep 0.5; done
  healthy="$(grep -o 'All resources healthy in [0-9.]* s' "$log" | head -n 1)"
  [ -n "$healthy" ] || { echo "not healthy within 300 s:"; tail -n 40 "$log"; exit 1; }
}
wait_healthy
if [ -n "$warm" ]; then
  first="$healthy"; halt_app; start_host; wait_healthy
fi
# CPU spent until healthy, by kind of process: a live process's own time plus that of the children it has reaped.
cpu="$(app_pids | python3 -c '
import os, sys
tick = os.sysconf("SC_CLK_TCK"); kinds = {}
for pid in sys.stdin.read().split():
    try:
        stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        cmd = open(f"/proc/{pid}/cmdline").read().replace("\0", " ")
    except OSError:
        continue
    kind = ("dotnet run (launchers)" if " run --project " in cmd else "services" if "/services/" in cmd else
            "web dev server" if "vite" in cmd or "npm " in cmd else
            "Aspire (AppHost, DCP, dashboard)" if "Aspire" in cmd or "AppHost" in cmd or "/dcp " in cmd else "servers")
    seconds = sum(int(v) for v in stat[11:15]) / tick
    kinds[kind] = kinds.get(kind, 0) + seconds
    if os.environ.get("STARTUP_DETAIL"): print(f"{seconds:6.1f} {cmd[:110]}", file=sys.stderr)
print(f"{sum(kinds.values()):.0f} CPU-s: " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])))
')"
sleep "$idle"
pids="$(app_pids)"
pss=0; for p in $pids; do v=$(awk '/^Pss:/ {print $2}' /proc/$p/smaps_rollup 2>/dev/null || echo 0); pss=$((pss + ${v:-0})); done
echo "configuration: $configuration; cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$warm" ]; then
  echo "second start: $healthy (AppHost start to every resource healthy; the first start, on empty data: ${first#All resources healthy in })"
  echo "RabbitMQ alone, second boot until it listens: $((rabbit_ms / 1000)).$(( (rabbit_ms % 1000) / 100 )) s (same run, before the app)"
else
  echo "$healthy (AppHost start to every resource healthy)"
  echo "RabbitMQ alone, first boot until it listens: $((rabbit_ms / 1000)).$(( (rabbit_ms % 1000) / 100 )) s (same run, before the app)"
fi
echo "CPU until healthy: $cpu"
echo "idle memory after ${idle} s: $((pss / 1024)) MiB PSS in $(echo "$pids" | wc -w) processes"
