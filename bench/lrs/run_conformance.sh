#!/usr/bin/env bash
# Run the ADL LRS conformance suite (adlnet/lrs-conformance-test-suite, checked out by you at
# $ADL_SUITE — its code never enters this repository) against a local Ancrage LRS, for xAPI
# 2.0.0 and 1.0.3. Uses $DATABASE_URL when it names PostgreSQL, else a fresh SQLite file.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${ADL_SUITE:?set ADL_SUITE=/path/to/lrs-conformance-test-suite}"
PORT=${LRS_CONFORMANCE_PORT:-8799}
PY=.venv/bin/python
WORK=$(mktemp -d)
if [[ "${DATABASE_URL:-}" != postgres* ]]; then export DATABASE_URL="sqlite:///$WORK/lrs.sqlite3"; fi
export ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING DJANGO_SETTINGS_MODULE=config.settings
[ -d "$ADL_SUITE/node_modules" ] || (cd "$ADL_SUITE" && npm install --no-audit --no-fund --silent)
$PY manage.py migrate -v 0
$PY -c "import django; django.setup(); from ancrage.tenancy.models import Organisation; from ancrage.accounts.models import User; Organisation.objects.get_or_create(slug='adl-conformance', defaults={'name': 'ADL conformance'}); User.objects.filter(email='conformance@ancrage.invalid').exists() or User.objects.create_user('conformance@ancrage.invalid', is_staff=True)"
CRED=$($PY manage.py lrs_credential create --organisation adl-conformance --scopes all --label adl --rate-limit 0 --by conformance@ancrage.invalid)
KEY=$(sed -n 's/^key=//p' <<<"$CRED"); SECRET=$(sed -n 's/^secret=//p' <<<"$CRED")
.venv/bin/ancrage serve --bind "127.0.0.1:$PORT" --workers 2 --threads 4 > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null && wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/xapi/about" >/dev/null && break; sleep 0.2; done
# Warm every worker: the suite measures its clock offset from its very first POST, and a
# cold first request (connection set-up on a loaded machine) would skew every `since` test.
for _ in $(seq 20); do
  curl -sf -u "$KEY:$SECRET" -H 'X-Experience-API-Version: 2.0.0' \
    "http://127.0.0.1:$PORT/xapi/statements?limit=1" >/dev/null || true
done
status=0
for version in 2.0.0 1.0.3; do
  (cd "$ADL_SUITE" && node bin/console_runner.js -e "http://127.0.0.1:$PORT/xapi" -a -u "$KEY" -p "$SECRET" \
     -x "$version" -z > "$WORK/adl-$version.log" 2>&1) || status=1
  summary=$(grep '"total"' "$WORK/adl-$version.log" | tail -1)
  echo "xAPI $version: $summary"
done
exit $status
