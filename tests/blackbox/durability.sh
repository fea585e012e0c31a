# tests/blackbox/durability.sh - every create answered with code 0 survives
# a kill -9 of the server in the middle of a stream of creates, and a
# restart keeps everything.
. "$(dirname "$0")/lib.sh"
start_server

: >"$TMP/acked"
# four writers at once, so creates share group commits when the kill lands
writer() {
  for i in $(seq 1 100000); do
    r=$(curl -s -m 5 -X POST "${BASE}smart_plus/campaign/create/" -H "Access-Token: $TOKEN" \
      --data-binary "{\"advertiser_id\":\"$ADV\",\"campaign_name\":\"d$1-$i\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}") || break
    id=$(sed -n 's/.*"code":0,.*"campaign_id":"\([0-9]*\)".*/\1/p' <<<"$r")
    [ -n "$id" ] && echo "$id" >>"$TMP/acked.$1"
  done
}
pids=""
for w in 1 2 3 4; do writer $w & pids="$pids $!"; done
sleep 3
kill -9 "$PID"
wait "$PID" 2>/dev/null
PID=
wait $pids 2>/dev/null
cat "$TMP"/acked.* >"$TMP/acked"
n=$(wc -l <"$TMP/acked")
check "creates were acknowledged before the kill ($n)" [ "$n" -gt 10 ]

start_server
missing=0
ids=$(sort -u "$TMP/acked")
total=$(curl -s "${BASE}smart_plus/campaign/get/?advertiser_id=$ADV&page_size=1" -H "Access-Token: $TOKEN" \
  | sed -n 's/.*"total_number":\([0-9]*\).*/\1/p')
check "store holds at least every acknowledged create ($total >= $n)" [ "${total:-0}" -ge "$n" ]
# check each acknowledged id, 100 per request
printf '%s\n' $ids | split -l 100 - "$TMP/chunk."
for f in "$TMP"/chunk.*; do
  list=$(sed 's/.*/"&"/' "$f" | paste -sd, -)
  want=$(wc -l <"$f")
  got=$(curl -s -G "${BASE}smart_plus/campaign/get/" -H "Access-Token: $TOKEN" \
    --data-urlencode "advertiser_id=$ADV" --data-urlencode "page_size=100" \
    --data-urlencode "filtering={\"campaign_ids\":[$list]}" \
    | sed -n 's/.*"total_number":\([0-9]*\).*/\1/p')
  [ "${got:-0}" = "$want" ] || missing=$((missing + want - ${got:-0}))
done
check "every acknowledged create is there after kill -9 (missing $missing)" [ "$missing" = 0 ]

r=$(post smart_plus/campaign/create/ "{\"advertiser_id\":\"$ADV\",\"campaign_name\":\"after\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":100}")
check "server creates after recovery" grep -q '"code":0' <<<"$r"
newid=$(sed -n 's/.*"campaign_id":"\([0-9]*\)".*/\1/p' <<<"$r")
dup=$(grep -c "^$newid\$" "$TMP/acked")
check "ids are not reused after recovery" [ "$dup" = 0 ]
stop_server

start_server
total2=$(curl -s "${BASE}smart_plus/campaign/get/?advertiser_id=$ADV&page_size=1" -H "Access-Token: $TOKEN" \
  | sed -n 's/.*"total_number":\([0-9]*\).*/\1/p')
check "a clean restart keeps everything ($total2)" [ "${total2:-0}" = $((total + 1)) ]
# a second server on the same file would hand out the same ids
rc=0
timeout 10 "$BIN_DIR/smartplusd" --port 0 --db "$DB" --demo-token "$TOKEN" \
  >"$TMP/second.out" 2>"$TMP/second.err" || rc=$?
check "a second server on the same database is refused (status $rc)" \
  sh -c "[ $rc = 1 ] && grep -q 'in use by another smartplusd' '$TMP/second.err'"

# A graceful stop (SIGTERM) in the middle of a stream of creates: writes
# waiting for their batch's COMMIT are committed and answered before the
# HTTP layer stops (libmicrohttpd aborts if stopped with a connection
# suspended), the exit is clean, and every acknowledged create is kept.
stop_server
rm -f "$TMP"/acked.*
start_server
before=$(curl -s "${BASE}smart_plus/campaign/get/?advertiser_id=$ADV&page_size=1" -H "Access-Token: $TOKEN" \
  | sed -n 's/.*"total_number":\([0-9]*\).*/\1/p')
pids=""
for w in 1 2 3 4; do writer $w & pids="$pids $!"; done
sleep 2
kill "$PID"
wait "$PID" 2>/dev/null
rc=$?
PID=
wait $pids 2>/dev/null
check "SIGTERM under load exits cleanly (status $rc)" [ "$rc" = 0 ]
check "no libmicrohttpd abort at stop" sh -c "! grep -qi 'fatal\|suspended' '$TMP/server.err'"
n=$(cat "$TMP"/acked.* 2>/dev/null | wc -l)
start_server
after=$(curl -s "${BASE}smart_plus/campaign/get/?advertiser_id=$ADV&page_size=1" -H "Access-Token: $TOKEN" \
  | sed -n 's/.*"total_number":\([0-9]*\).*/\1/p')
check "every create acknowledged before the stop is kept ($after >= $before + $n)" \
  [ "${after:-0}" -ge $(( ${before:-0} + n )) ]
stop_server

# Creative ids (ad_material_id) live in their ad's body, not as objects:
# after a restart they continue after the highest stored one instead of
# beginning again.
ad_once() { # ad_once ADGROUP_ID -> the first creative's ad_material_id
  post smart_plus/ad/create/ "{\"advertiser_id\":\"$ADV\",\"adgroup_id\":\"$1\",\"ad_name\":\"r\",\"creative_list\":[{\"creative_info\":{\"ad_format\":\"SINGLE_VIDEO\",\"video_info\":{\"video_id\":\"v1\"},\"image_info\":[{\"web_uri\":\"https://cdn.example/t.jpg\"}],\"identity_type\":\"CUSTOMIZED_USER\"}}],\"ad_text_list\":[{\"ad_text\":\"Shop now\"}],\"landing_page_url_list\":[{\"landing_page_url\":\"https://www.example.com/\"}],\"call_to_action_list\":[{\"call_to_action\":\"SHOP_NOW\"}]}" |
    sed -n 's/.*"ad_material_id":"\([0-9]*\)".*/\1/p'
}
start_server
r=$(post smart_plus/campaign/create/ "{\"advertiser_id\":\"$ADV\",\"campaign_name\":\"m\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_optimize_on\":true,\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\",\"budget\":500}")
mc=$(sed -n 's/.*"campaign_id":"\([0-9]*\)".*/\1/p' <<<"$r")
r=$(post smart_plus/adgroup/create/ "{\"advertiser_id\":\"$ADV\",\"campaign_id\":\"$mc\",\"adgroup_name\":\"m\",\"promotion_type\":\"WEBSITE\",\"optimization_goal\":\"CONVERT\",\"pixel_id\":\"$PIXEL\",\"optimization_event\":\"COMPLETE_PAYMENT\",\"billing_event\":\"OCPM\",\"bid_type\":\"BID_TYPE_NO_BID\",\"schedule_type\":\"SCHEDULE_FROM_NOW\",\"targeting_optimization_mode\":\"AUTOMATIC\",\"targeting_spec\":{\"location_ids\":[\"6252001\"]},\"placement_type\":\"PLACEMENT_TYPE_NORMAL\",\"placements\":[\"PLACEMENT_TIKTOK\"]}")
mg=$(sed -n 's/.*"adgroup_id":"\([0-9]*\)".*/\1/p' <<<"$r")
m1=$(ad_once "$mg")
stop_server
start_server
m2=$(ad_once "$mg")
check "creative ids continue after a restart ($m1, then $m2)" \
  sh -c '[ -n "$1" ] && [ -n "$2" ] && [ "$2" -gt "$1" ]' _ "$m1" "$m2"
stop_server
