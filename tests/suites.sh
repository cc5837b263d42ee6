#!/usr/bin/env bash
# Runs the suite on SQLite and, when TEST_DATABASE_URL is set, again on PostgreSQL.
# Says which suites were skipped for want of PostgreSQL or Chromium; in CI
# (UNGELOEFTET_REQUIRE=postgres,browser) a missing one is a failure instead.
set -euo pipefail
BIN=$1
WORKERS=${2:-2}
args=(-q -p no:cacheprovider)
if [ "$WORKERS" != "0" ]; then args+=(-n "$WORKERS"); fi

skipped=()
command -v chromium >/dev/null 2>&1 || skipped+=("browser tests (no chromium on PATH)")
[ -n "${TEST_DATABASE_URL:-}" ] || skipped+=("PostgreSQL run (TEST_DATABASE_URL not set)")
for s in "${skipped[@]}"; do
  case "$s" in
    browser*) [[ "${UNGELOEFTET_REQUIRE:-}" == *browser* ]] && { echo "FAIL: $s" >&2; exit 1; } ;;
    PostgreSQL*) [[ "${UNGELOEFTET_REQUIRE:-}" == *postgres* ]] && { echo "FAIL: $s" >&2; exit 1; } ;;
  esac
  echo "NOTE: skipping $s"
done

echo "=== test suite on SQLite"
env -u TEST_DATABASE_URL "$BIN/pytest" "${args[@]}"
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "=== test suite on PostgreSQL (${TEST_DATABASE_URL%%\?*})"
  # The schemathesis run is widened on PostgreSQL (production's database) when asked:
  # CI sets SCHEMATHESIS_PG_EXAMPLES=150: about 5,600 generated API requests.
  SCHEMATHESIS_MAX_EXAMPLES=${SCHEMATHESIS_PG_EXAMPLES:-${SCHEMATHESIS_MAX_EXAMPLES:-6}} \
    "$BIN/pytest" "${args[@]}"
fi
for s in "${skipped[@]}"; do echo "NOTE: skipped $s"; done
