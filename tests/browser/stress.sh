#!/usr/bin/env bash
# The end-to-end browser journey N times in a row (default 20) on PostgreSQL while two busy
# loops keep both cores busy: what a caseworker sees must not depend on the machine's load
# (the engine cache applies every save at once; see docs/ARCHITECTURE.md).
# Usage: tests/browser/stress.sh [N]   (needs .venv, chromium and the local PostgreSQL)
set -uo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
busy=()
for _ in 1 2; do timeout 3600 .venv/bin/python -c "while True: pass" & busy+=($!); done
trap 'kill "${busy[@]}" 2>/dev/null' EXIT
passed=0
for n in $(seq "$runs"); do
  if timeout 600 .venv/bin/python -m pytest -q -p no:cacheprovider -n 0 \
      tests/browser/test_end_to_end.py::test_company_caseworker_mentor_journey >/tmp/stress_$n.log 2>&1; then
    passed=$((passed + 1)); echo "run $n: passed"
  else
    echo "run $n: FAILED (see /tmp/stress_$n.log)"
  fi
done
echo "$passed of $runs passed"
[ "$passed" -eq "$runs" ]
