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

sqlite_args=()
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  # The browser journeys run once, on PostgreSQL (production's database), with the rest of
  # the suite there: they drive the same pages, and running them on both databases took a
  # fifth of the whole run. Without PostgreSQL they run on SQLite.
  sqlite_args=(-m "not browser")
  echo "NOTE: the browser tests run on PostgreSQL only (deselected on SQLite)"
fi
echo "=== test suite on SQLite"
env -u TEST_DATABASE_URL "$BIN/pytest" "${args[@]}" ${sqlite_args[@]+"${sqlite_args[@]}"}
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "=== test suite on PostgreSQL (${TEST_DATABASE_URL%%\?*})"
  # The schemathesis run is widened on PostgreSQL (production's database) when asked:
  # CI sets SCHEMATHESIS_PG_EXAMPLES=150: about 5,600 generated API requests.
  SCHEMATHESIS_MAX_EXAMPLES=${SCHEMATHESIS_PG_EXAMPLES:-${SCHEMATHESIS_MAX_EXAMPLES:-6}} \
    "$BIN/pytest" "${args[@]}"
fi
for s in "${skipped[@]}"; do echo "NOTE: skipped $s"; done
