#!/usr/bin/env bash
# Shows one POST /api/payments/send as the Aspire dashboard has it: starts the whole app (as `dotnet run` would: its
# build output, random ports, a throwaway state folder, the dashboard with its telemetry API behind a one-off key),
# signs up two people, verifies one, deposits, sends, then asks the dashboard's /api/telemetry API for the send's
# trace and prints its spans as a tree. Fails unless the trace holds the gateway, Payments, PostgreSQL and the
# RabbitMQ publish of the transfer's event. Build first (`dotnet build Ahod.sln`).
set -euo pipefail
cd "$(dirname "$0")/.."
dll="Ahod.AppHost/bin/${CONFIGURATION:-Debug}/net10.0/Ahod.AppHost.dll"
[ -f "$dll" ] || { echo "build first: $dll is missing" >&2; exit 1; }
state="$(mktemp -d /tmp/ahod-trace.XXXXXX)"; chmod 755 "$state"; log="$state/apphost.log"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
apikey="$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
export DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
export ASPNETCORE_URLS="http://127.0.0.1:$(free_port)" ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$(free_port)"
export ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="http://127.0.0.1:$(free_port)"
(cd Ahod.AppHost && exec dotnet "${dll#Ahod.AppHost/}" --DcpPublisher:RandomizePorts=true "--Ahod:StateDirectory=$state" \
  --Ahod:Ephemeral=true "--AppHost:DashboardApiKey=$apikey") > "$log" 2>&1 &
host=$!
# TERM, not INT: a background job of a non-interactive shell ignores SIGINT, and the app would outlive this script.
trap 'kill -TERM $host 2>/dev/null; wait $host 2>/dev/null; rm -rf "$state"' EXIT
for _ in $(seq 1 600); do grep -q "All resources healthy in" "$log" && break; sleep 0.5; done
grep -q "All resources healthy in" "$log" || { echo "the app did not become healthy in 5 minutes; its log:" >&2; tail -n 40 "$log" >&2; exit 1; }
gw="$(grep -o 'gateway http://[^ ]*' "$log" | head -n1 | cut -d' ' -f2)"
dashboard="$(grep -o 'http://127.0.0.1:[0-9]*/login?t=' "$log" | head -n1)"; dashboard="${dashboard%/login?t=}"
echo "gateway $gw, dashboard $dashboard"

json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
post() { curl -sf -H 'content-type: application/json' "${@:3}" "$gw$1" -d "$2"; }
run=$RANDOM$RANDOM; password='correct horse battery staple'
for who in ann bob; do
  post /api/auth/signup "{\"email\":\"$who.$run@example.com\",\"password\":\"$password\",\"passwordConfirmation\":\"$password\",\"userName\":\"${who}_$run\",\"firstName\":\"$who\",\"lastName\":\"Trace\"}" > /dev/null
done
for _ in $(seq 1 50); do mail="$(grep -l "To: ann.$run@example.com" "$state"/mail/*.eml 2>/dev/null | head -n1)" && [ -n "$mail" ] && break; sleep 0.2; done
token="$(grep -o 'token=[A-Za-z0-9_%-]*' "$mail" | head -n1 | cut -d= -f2 | python3 -c 'import sys,urllib.parse; print(urllib.parse.unquote(sys.stdin.read().strip()))')"
post /api/auth/verify-email "{\"email\":\"ann.$run@example.com\",\"token\":\"$token\"}" > /dev/null
ann="$(post /api/auth/signin "{\"email\":\"ann.$run@example.com\",\"password\":\"$password\"}" | json '["accessToken"]')"
bob="$(post /api/auth/signin "{\"email\":\"bob.$run@example.com\",\"password\":\"$password\"}" | json '["user"]["id"]')"
auth=(-H "authorization: Bearer $ann")
for _ in $(seq 1 50); do wallet="$(curl -sf "${auth[@]}" "$gw/api/payments/accounts" | json '[0]["id"]' 2>/dev/null)" && break; sleep 0.2; done
post /api/payments/deposit "{\"accountId\":\"$wallet\",\"amount\":{\"amount\":5000,\"currency\":\"USD\"},\"source\":{\"type\":\"card\",\"token\":\"tok_sandbox_success\"}}" "${auth[@]}" -H "Idempotency-Key: d$run" > /dev/null
post /api/payments/send "{\"fromAccountId\":\"$wallet\",\"toUserId\":\"$bob\",\"amount\":{\"amount\":1200,\"currency\":\"USD\"}}" "${auth[@]}" -H "Idempotency-Key: s$run" > /dev/null
echo "sent 12.00 USD; waiting for the telemetry to reach the dashboard"

python3 - "$dashboard" "$apikey" <<'PY'
import json, sys, time, urllib.request
origin, key = sys.argv[1], sys.argv[2]
def get(path):
    return json.load(urllib.request.urlopen(urllib.request.Request(origin + path, headers={"x-api-key": key})))
def spans(document):
    for resource in document["data"].get("resourceSpans", []):
        service = next(a["value"]["stringValue"] for a in resource["resource"]["attributes"] if a["key"] == "service.name")
        for scope in resource.get("scopeSpans", []):
            for span in scope["spans"]:
                attributes = {a["key"]: next(iter(a["value"].values())) for a in span.get("attributes", [])}
                system = attributes.get("db.system.name") or attributes.get("db.system") or attributes.get("messaging.system") or ""
                yield dict(trace=span["traceId"], id=span["spanId"], parent=span.get("parentSpanId", ""), start=int(span["startTimeUnixNano"]),
                           service=service, scope=scope["scope"]["name"], name=span["name"], system=system)
wanted = {"gateway", "payments", "postgresql", "rabbitmq"}
for attempt in range(30):
    time.sleep(2)
    sends = {s["trace"] for s in spans(get("/api/telemetry/traces?resource=payments&limit=500")) if s["name"] == "POST /api/payments/send"}
    if not sends:
        continue
    trace = list(spans(get(f"/api/telemetry/traces/{sends.pop()}")))
    found = {s["service"] for s in trace} | {s["system"] for s in trace if s["system"]}
    if wanted <= found or attempt == 29:
        break
else:
    sys.exit("the dashboard has no trace of POST /api/payments/send")
children = {}
for s in sorted(trace, key=lambda s: s["start"]):
    children.setdefault(s["parent"], []).append(s)
ids = {s["id"] for s in trace}
def show(span, depth):
    print(f"{'  ' * depth}{span['service']}: {span['name']}" + (f" [{span['system']}]" if span["system"] else "") + f"  ({span['scope']})")
    for child in children.get(span["id"], []):
        show(child, depth + 1)
print(f"trace {trace[0]['trace']}, {len(trace)} spans:")
for root in [s for s in sorted(trace, key=lambda s: s["start"]) if s["parent"] not in ids]:
    show(root, 1)
missing = wanted - found
sys.exit(f"missing from the trace: {', '.join(sorted(missing))}" if missing else 0)
PY
