#!/usr/bin/env bash
# Runs every test (all test projects in Ahod.sln) against real PostgreSQL, Redis and RabbitMQ started by
# the test harness, and the web app's Vitest tests, then prints one total line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

results="$(pwd)/.ahod/test-results"
rm -rf "$results"
mkdir -p "$results"

# The web app's unit tests (Vitest) first: quick, and their JSON report is counted below with the .trx files.
web_report="$results/vitest.json"
if [ ! -d web/node_modules ]; then (cd web && npm ci --no-audit --no-fund --loglevel=error); fi
(cd web && npx vitest run --reporter=default --reporter=json --outputFile.json="$web_report")
web_status=$?

dotnet test Ahod.sln --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done

# Vitest's JSON report; a run that wrote none (it crashed, or could not start) counts as one failure.
if [ -s "$web_report" ]; then
  files=$((files + 1))
  read -r p f s < <(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const failedSuites = (r.testResults || []).filter((t) => t.status === "failed" && (t.assertionResults || []).length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + failedSuites, r.numPendingTests + r.numTodoTests);
  ' "$web_report") || { p=0; f=1; s=0; }
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
elif [ "$web_status" -ne 0 ] || [ ! -e "$web_report" ]; then
  failed=$((failed + 1))
fi
if [ "$web_status" -ne 0 ]; then status=1; fi

# Where the CPU went: each test app writes its resources' CPU seconds when it stops (tests/Ahod.Testing CpuReport).
if [ -s "$results/cpu.tsv" ]; then
  echo
  echo "CPU seconds of the test apps, by resource:"
  # A test process's line is its total so far: the last one per assembly counts.
  awk -F'\t' '$2 == "test process" { tp[$1] = $3 > tp[$1] ? $3 : tp[$1]; next } { cpu[$2] += $3; n[$2]++ }
    END { for (a in tp) { cpu["test process"] += tp[a]; n["test process"]++ }
          for (r in cpu) printf "  %8.1f  %-14s (%d instances)\n", cpu[r], r, n[r] }' "$results/cpu.tsv" | sort -rn
  echo "by test assembly (and the apps' start times in s):"
  awk -F'\t' '$2 == "test process" { tp[$1] = $3 > tp[$1] ? $3 : tp[$1] } $2 != "test process" { cpu[$1] += $3 }
    !(($1 SUBSEP $4) in seen) { seen[$1 SUBSEP $4] = 1; starts[$1] = starts[$1] " " $4 }
    END { for (a in tp) printf "  %8.1f  %s (starts:%s)\n", cpu[a] + tp[a], a, starts[a] }' "$results/cpu.tsv" | sort -rn
fi

echo
echo "test result files: $files"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$files" -eq 0 ]; then
  exit 1
fi
