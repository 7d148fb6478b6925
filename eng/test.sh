#!/usr/bin/env bash
# Runs every test (all test projects in Ahod.sln) against real PostgreSQL, Redis and RabbitMQ started by
# the test harness, then prints one total line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

results="$(pwd)/.ahod/test-results"
rm -rf "$results"
mkdir -p "$results"

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

echo
echo "test result files: $files"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$files" -eq 0 ]; then
  exit 1
fi
