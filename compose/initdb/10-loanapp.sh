#!/usr/bin/env bash
# Runs once, when the postgres container initialises its data directory: the LoanApp schema and sample data
# (examples/loanapp, mounted at /loanapp). LOANAPP_ROWS=0 creates the schema only.
set -euo pipefail
url="postgresql://$POSTGRES_USER@/$POSTGRES_DB?host=/var/run/postgresql"
if [ "${LOANAPP_ROWS:-100000}" = 0 ]; then
  psql "$url" -X -q -v ON_ERROR_STOP=1 -f /loanapp/schema.sql
else
  /loanapp/generate.sh --url "$url" --rows "${LOANAPP_ROWS:-100000}"
fi
