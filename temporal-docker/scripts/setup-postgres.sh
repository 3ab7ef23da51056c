#!/bin/sh
# One-shot: create and migrate the Temporal and visibility schemas in PostgreSQL.
# Used by compose (temporal-schema service, admin-tools image) and by `npm run cluster`
# (scripts/cluster.ts), which puts its own temporal-sql-tool first on PATH and sets SCHEMA_DIR.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${POSTGRES_PWD:?}"
PORT="${DB_PORT:-5432}"
SCHEMA_DIR="${SCHEMA_DIR:-/etc/temporal/schema}"
until pg_isready -q -h "$POSTGRES_SEEDS" -p "$PORT" -U "$POSTGRES_USER"; do sleep 1; done
sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -pw "$POSTGRES_PWD" -p "$PORT" "$@"; }
for db in temporal temporal_visibility; do
  dir=temporal; [ "$db" = temporal_visibility ] && dir=visibility
  # create and the 0.0 base fail harmlessly when they exist already; update-schema is the real step
  sql --db "$db" create >/dev/null 2>&1 || true
  sql --db "$db" setup-schema -v 0.0 >/dev/null 2>&1 || true
  sql --db "$db" update-schema -d "$SCHEMA_DIR/postgresql/v12/$dir/versioned"
done
echo "schemas ready"
