#!/usr/bin/env bash
# Runs Debian's RabbitMQ for the AppHost on loopback: AMQP at $RABBITMQ_NODE_PORT, Erlang distribution at
# $RABBITMQ_DIST_PORT, against the epmd the AppHost started at $ERL_EPMD_PORT (never a detached one on 4369).
# Usage: rabbitmq.sh <data folder>; env: RABBITMQ_NODE_PORT, RABBITMQ_DIST_PORT, ERL_EPMD_PORT,
# RABBITMQ_DEFAULT_USER, RABBITMQ_DEFAULT_PASS (used on the first boot only).
set -euo pipefail
root="$1"
server=/usr/lib/rabbitmq/bin/rabbitmq-server
[ -x "$server" ] || { echo "rabbitmq: rabbitmq-server is not installed (run eng/install-prerequisites.sh)" >&2; exit 127; }
mkdir -p "$root/home" "$root/mnesia" "$root/log"
chmod 700 "$root/home"
cat > "$root/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$RABBITMQ_NODE_PORT
log.console = true
log.file = false
loopback_users = none
CONF
: > "$root/enabled_plugins"
echo '[].' > "$root/enabled_plugins"
export HOME="$root/home"
# A stable name: the node keeps its data (mnesia) across starts; every broker has its own epmd, so names never clash.
export RABBITMQ_NODENAME="ahod@localhost"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_MNESIA_BASE="$root/mnesia" RABBITMQ_LOG_BASE="$root/log"
export RABBITMQ_CONFIG_FILE="$root/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$root/enabled_plugins"
export ERL_EPMD_ADDRESS=127.0.0.1
# +sbwt none...: idle Erlang schedulers sleep instead of spinning, which on a small machine shared with the
# services (and in tests, with other brokers) burns CPU they need; RabbitMQ recommends it for shared CPUs.
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-start_epmd false -kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none"
export RABBITMQ_CTL_ERL_ARGS="-start_epmd false"
exec "$server"
