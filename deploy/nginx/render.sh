#!/usr/bin/env bash
# Renders deploy/nginx/sop.conf for a set of nodes:
#   deploy/nginx/render.sh LISTEN NODE [NODE…] > /etc/nginx/conf.d/sop.conf
#   LISTEN  what nginx listens on: 80, 127.0.0.1:8080, "443 ssl" …
#   NODE    a `sop serve` node: 10.0.0.11:8080, 127.0.0.1:18501 …
# ACCESS_LOG (environment) sets the access log (default /var/log/nginx/sop-access.log).
# Each node is marked failed for 10 s after 2 failed attempts (passive health check).
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 LISTEN NODE [NODE…]   (e.g. $0 80 10.0.0.11:8080 10.0.0.12:8080)" >&2
  exit 2
fi
LISTEN="$1"; shift
node_re='^[]A-Za-z0-9.:[-]+:[0-9]+$'
listen_re='^[]A-Za-z0-9.:[ -]+$'
for node in "$@"; do
  [[ "$node" =~ $node_re ]] || { echo "render.sh: a node is HOST:PORT, not '$node'" >&2; exit 2; }
done
[[ "$LISTEN" =~ $listen_re ]] || { echo "render.sh: LISTEN is a port or ADDRESS:PORT, not '$LISTEN'" >&2; exit 2; }
TEMPLATE="$(dirname "$0")/sop.conf"
NODES=""
for node in "$@"; do NODES+="    server $node max_fails=2 fail_timeout=10s;"$'\n'; done
ACCESS_LOG="${ACCESS_LOG:-/var/log/nginx/sop-access.log}"
while IFS= read -r line; do
  case "$line" in
    @NODES@) printf '%s' "$NODES" ;;
    *) line="${line//@LISTEN@/$LISTEN}"; line="${line//@ACCESS_LOG@/$ACCESS_LOG}"; printf '%s\n' "$line" ;;
  esac
done < "$TEMPLATE"
