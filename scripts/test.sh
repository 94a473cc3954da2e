#!/usr/bin/env bash
# Sets up a fresh machine and runs the tests: the xunit suite, then every notebook (a failing cell fails).
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Each phase prints its wall time, so a CI log shows where the minutes go.
t0=$(date +%s)
bash "$repo/scripts/setup.sh" || exit 1
echo "phase setup: $(( $(date +%s) - t0 )) s"
# The distributed-study tests run against a real PostgreSQL server on loopback (started here unless given).
if [[ -z "${NASKIT_TEST_POSTGRES:-}" ]]; then
  NASKIT_TEST_POSTGRES="$(bash "$repo/scripts/postgres.sh" start)" || exit 1
  export NASKIT_TEST_POSTGRES
fi
mkdir -p "$repo/reports"

t1=$(date +%s)
dotnet test "$repo/src/NasKit.Tests/NasKit.Tests.csproj" -c Release --no-build -nologo \
  --logger "trx;LogFileName=tests.trx" --results-directory "$repo/reports/tests" 2>&1 | tee "$repo/reports/tests.log"
tests_rc=${PIPESTATUS[0]}
echo "phase xunit: $(( $(date +%s) - t1 )) s"
t2=$(date +%s)

# CI runs the book at its quick size (NASKIT_SIZE, read by every notebook through Sized(quick, full)).
NASKIT_SIZE=quick bash "$repo/scripts/run-notebooks.sh" | tee "$repo/reports/notebooks.log"
nb_rc=${PIPESTATUS[0]}
echo "phase notebooks: $(( $(date +%s) - t2 )) s"

# One summary line over both suites.
read -r t_passed t_failed < <(python3 - "$repo/reports/tests/tests.trx" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    c = ET.parse(sys.argv[1]).getroot().find(".//{*}Counters")
    print(c.get("passed"), int(c.get("failed")) + int(c.get("error", 0)))
except Exception:
    print(0, 1)
PY
)
read -r nb_passed nb_failed < <(sed -n 's/^notebooks: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$repo/reports/notebooks.log")
echo "phase total: $(( $(date +%s) - t0 )) s"
echo "$((t_passed + ${nb_passed:-0})) passed, $((t_failed + ${nb_failed:-1})) failed"
[[ $tests_rc -eq 0 && $nb_rc -eq 0 ]]
