#!/usr/bin/env bash
# Run a benchmark against PostgreSQL: DATABASE_URL if set, else a throw-away local server.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DATABASE_URL:-}" ]; then
  . scripts/temp-postgres.sh
  start_temp_postgres
fi
"$@"
