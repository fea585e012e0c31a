# tests/blackbox/pixel_browser.sh - the browser Pixel end to end: headless
# Chromium (Debian's chromium, driven by playwright-core) loads a page with
# the TikTok Pixel base code pointed at smartplusd, fires CompletePayment
# with an event_id, and smartplusd must record it as a browser Pixel event;
# an Events API copy of it is then merged, not counted twice.
# Needs tools/deps-browser.sh. Without chromium/playwright-core it skips,
# unless CI is set: then it fails.
. "$(dirname "$0")/lib.sh"
NODE_DIR=$(cd "$(dirname "$0")/../.." && pwd)/build/node/node_modules
if ! command -v chromium >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1 ||
   [ ! -f "$NODE_DIR/playwright-core/package.json" ]; then
  if [ -n "${CI:-}" ]; then
    notok "pixel_browser: chromium, node or playwright-core missing (run tools/deps-browser.sh)"
    exit 1
  fi
  ok "# SKIP pixel_browser: chromium, node or playwright-core missing (run tools/deps-browser.sh)"
  exit 0
fi
start_server
ORIGIN=${BASE%/open_api/v1.3/}

# a fresh pixel, with no event sources yet
r=$(post pixel/create/ "{\"advertiser_id\":\"$ADV\",\"pixel_name\":\"browser shop\"}")
PX=$(sed -n 's/.*"pixel_id":"\([0-9]*\)".*/\1/p' <<<"$r")
CODE=$(sed -n 's/.*"pixel_code":"\([A-Z0-9]*\)".*/\1/p' <<<"$r")
check "pixel created ($PX $CODE)" [ -n "$PX$CODE" ]
EVID="order-$RANDOM$RANDOM"

NODE_PATH=$NODE_DIR timeout 120 node "$(dirname "$0")/../browser/pixel_test.js" "$ORIGIN" "$CODE" "$EVID" 2>"$TMP/node.err"
[ -s "$TMP/node.err" ] && sed 's/^/# /' "$TMP/node.err" | head -20

get() { curl -s "$1" -H "Access-Token: $TOKEN"; }
ev=$(get "$ORIGIN/sandbox/events/?advertiser_id=$ADV&pixel_id=$PX")
kept=$(python3 -c '
import json,sys
d=json.loads(sys.argv[1])["data"]["recent"]
m=[e for e in d if e["event"]["event"]=="CompletePayment" and e["event"].get("event_id")==sys.argv[2]]
print(len(m), m[0]["source"] if m else "-", m[0]["status"] if m else "-", m[0]["event"].get("page",{}).get("url","") if m else "")
' "$ev" "$EVID")
check "smartplusd recorded CompletePayment $EVID as a browser Pixel event ($kept)" \
  grep -q '^1 BROWSER KEPT http://localhost:.*/shop/thanks.html' <<<"$kept"
srcs=$(get "${BASE}pixel/list/?advertiser_id=$ADV&pixel_id=$PX" | grep -o '"event_sources":\[[^]]*\]')
check "the pixel records its source: $srcs" [ "$srcs" = '"event_sources":["BROWSER"]' ]

# the same purchase from the server: merged into the browser event
now=$(get "$ORIGIN/sandbox/clock" | sed -n 's/.*"unix":\([0-9]*\).*/\1/p')
[ -n "$now" ] || now=$(date +%s)
r=$(post event/track/ "{\"event_source\":\"web\",\"event_source_id\":\"$CODE\",\"data\":[{\"event\":\"CompletePayment\",\"event_time\":$now,\"event_id\":\"$EVID\",\"properties\":{\"value\":42,\"currency\":\"USD\",\"order_id\":\"$EVID\"}}]}")
check "an Events API copy is merged into the browser event" grep -q '"events_merged":1' <<<"$r"
st=$(get "${BASE}pixel/event/stats/?advertiser_id=$ADV&pixel_ids=%5B%22$PX%22%5D&date_range=%7B%22start_date%22:%222000-01-01%22,%22end_date%22:%222100-12-31%22%7D")
check "stats: CompletePayment kept once, one browser/Events API merge" \
  grep -q '"event":"CompletePayment","received":{"browser":1,"events_api":1,"total":2},"kept":1,"merged":1,"merged_by_channel":{"browser_browser":0,"events_api_events_api":0,"browser_events_api":1}' <<<"$st"
srcs=$(get "${BASE}pixel/list/?advertiser_id=$ADV&pixel_id=$PX" | grep -o '"event_sources":\[[^]]*\]')
check "the pixel now records both sources: $srcs" [ "$srcs" = '"event_sources":["BROWSER","EVENTS_API"]' ]
