#!/usr/bin/env bash
# LoanApp sample data: deterministic, set-based (generate.sql). Replaces what the tables held.
#
#   examples/loanapp/generate.sh --url postgresql://user:pass@host:5432/loanapp [--rows 100000]
#
# --rows N gives N IntegrationLogs and N/5 Payments (default 100,000 and 20,000). --url defaults to $LOANAPP_PG_URL.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

rows=100000
url=${LOANAPP_PG_URL:-}
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --url) url=$2; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "generate.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ $rows =~ ^[1-9][0-9]*$ ]] || { echo "generate.sh: --rows wants a positive integer, got '$rows'" >&2; exit 2; }
[ -n "$url" ] || { echo "generate.sh: give --url (or set LOANAPP_PG_URL)" >&2; exit 2; }

# Re-runs: no "already exists, skipping" notices from schema.sql's IF NOT EXISTS.
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql "$url" -X -q -v ON_ERROR_STOP=1 -f "$here/schema.sql"
psql "$url" -X -q -v ON_ERROR_STOP=1 -v rows="$rows" -f "$here/generate.sql" >/dev/null
psql "$url" -X -At -v ON_ERROR_STOP=1 -c \
  'SELECT format($$generate.sh: dbo."IntegrationLogs" %s rows, dbo."Payments" %s rows$$,
                 (SELECT count(*) FROM dbo."IntegrationLogs"), (SELECT count(*) FROM dbo."Payments"))'
