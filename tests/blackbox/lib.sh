# tests/blackbox/lib.sh - start and stop a real smartplusd on 127.0.0.1 with
# a fresh database, and TAP-style assertions ("ok - ...", "not ok - ...").
BIN_DIR=${1:-build/asan}
TMP=$(mktemp -d /tmp/smartplus-bb-XXXXXX)
DB=$TMP/test.db
TOKEN=blackbox-token
PID=
BASE=

start_server() {
  "$BIN_DIR/smartplusd" --port 0 --db "$DB" --demo-token "$TOKEN" \
    >"$TMP/server.out" 2>"$TMP/server.err" &
  PID=$!
  for _ in $(seq 1 200); do
    BASE=$(sed -n 's/^base_url: //p' "$TMP/server.out")
    [ -n "$BASE" ] && break
    sleep 0.05
  done
  ADV=$(sed -n 's/^advertiser_id: //p' "$TMP/server.out")
  PIXEL=$(sed -n 's/^pixel_id: //p' "$TMP/server.out")
  [ -n "$BASE" ] || { echo "not ok - server did not start"; cat "$TMP/server.err"; exit 1; }
}

stop_server() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  PID=
}

cleanup() {
  stop_server
  rm -rf "$TMP"
}
trap cleanup EXIT

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() { # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then ok "$name"; else notok "$name"; fi
}

post() { # post PATH BODY -> response body on stdout
  curl -s -X POST "${BASE}$1" -H "Access-Token: $TOKEN" \
    -H 'Content-Type: application/json' --data-binary "$2"
}
