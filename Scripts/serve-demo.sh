#!/usr/bin/env bash
# `make serve`: `sop serve` on the catalogue with demo users (created once in the store).
#   admin       admin            (starts and cancels cases, sees all)
#   lapor       LAPOR!-SP4N      (step 1 of the LAPOR complaint SOP)
#   timadmin    Tim Admin        (step 2: the decision)
#   penghubung  Pejabat Penghubung (step 3, across the catalogue)
#   viewer      viewer           (reads only)
# Each password is `demo-` and the user name (demo-admin, …). Not for production use.
set -euo pipefail
SOP="${1:-.build/release/sop}"
DB="${DB:-demo.db}"
PORT="${PORT:-8080}"
HOST="${HOST:-127.0.0.1}"
if ! "$SOP" user list --db "$DB" | grep -q '^admin'; then
  add() { local name="$1"; shift; local roles=(); for r in "$@"; do roles+=(--role "$r"); done
    echo "demo-$name" | "$SOP" user add "$name" --db "$DB" --password-stdin --display-name "$name (demo)" "${roles[@]}"; }
  add admin admin
  add lapor "LAPOR!-SP4N"
  add timadmin "Tim Admin"
  add penghubung "Pejabat Penghubung"
  add viewer viewer
  echo "demo users added to $DB; passwords: demo-<name> (e.g. demo-timadmin)"
fi
echo "open http://$HOST:$PORT/ and log in (e.g. admin / demo-admin); Ctrl-C stops"
exec "$SOP" serve --catalog sops --db "$DB" --host "$HOST" --port "$PORT"
