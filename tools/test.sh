#!/usr/bin/env bash
# Builds everything in Release and runs every test project; ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
rm -rf TestResults
dotnet build BackpropModule.slnx -c Release -nologo -v q || { echo "0 passed, 1 failed"; exit 1; }
status=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "TestResults/$name" || status=1
done
passed=0; failed=0
for f in TestResults/*/*.trx; do
  [ -f "$f" ] || continue
  line=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(echo "$line" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p'); f2=$(echo "$line" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  e=$(echo "$line" | sed -n 's/.* error="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f2:-0} + ${e:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit $status
