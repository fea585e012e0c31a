# tests/blackbox/legacy.sh - the legacy Smart+ API over HTTP on a real
# smartplusd, its deadlines crossed with POST /sandbox/clock/set: a client's
# old test run "before" 2026-03-31 works, the same run "after" shows what
# breaks and what replaces it; the legacy campaign stays readable.
. "$(dirname "$0")/lib.sh"
start_server
ROOT=${BASE%/open_api/v1.3/}
SPD="$BIN_DIR/smartplusd"
CLOSED=$("$SPD" advertiser add --db "$DB" --id 7000000000000000043 --not-allowlisted | sed -n 's/^advertiser_id: //p')
T2=$("$SPD" token add --db "$DB" --advertiser "$ADV,$CLOSED" --token legacy-two | sed -n 's/^access_token: //p')

clock() {
  curl -s -X POST "$ROOT/sandbox/clock/set" -H "Access-Token: $TOKEN" \
    --data-binary "{\"time\":\"$1\",\"frozen\":true}"
}
spc() { # spc ADVERTISER NAME START
  cat <<JSON
{"advertiser_id":"$1","objective_type":"APP_PROMOTION","app_promotion_type":"APP_INSTALL",
 "campaign_name":"$2","promotion_type":"APP_ANDROID","app_id":"7000000001",
 "location_ids":["6252001"],"budget_mode":"BUDGET_MODE_DYNAMIC_DAILY_BUDGET","budget":100,
 "schedule_type":"SCHEDULE_START_END","schedule_start_time":"$3",
 "schedule_end_time":"2027-12-31 00:00:00","optimization_goal":"INSTALL",
 "billing_event":"OCPM","identity_id":"ident1",
 "media_info_list":[{"media_info":{"video_info":{"video_id":"v1"},"image_info":[{"web_uri":"w"}]}}],
 "title_list":[{"title":"t"}]}
JSON
}
id_of() { sed -n 's/.*"campaign_id":"\([0-9]*\)".*/\1/p'; }

r=$(clock "2026-03-30T23:59:59Z")
check "the clock is set before the first deadline" grep -q '"code":0' <<<"$r"
r=$(post campaign/spc/create/ "$(spc "$ADV" before "2026-03-30 23:59:59")")
check "spc/create works on 2026-03-30 23:59:59" grep -q '"code":0' <<<"$r"
check "the answer carries the whole object (nulls included)" grep -q '"pixel_id":null' <<<"$r"
ID=$(id_of <<<"$r")
check "legacy ids have 19 digits" [ ${#ID} = 19 ]
r=$(curl -s -X POST "${BASE}campaign/spc/create/" -H "Access-Token: $T2" \
  --data-binary "$(spc "$CLOSED" closed "2026-03-30 23:59:59")")
check "legacy Smart+ needs no Upgraded allowlist" grep -q '"code":0' <<<"$r"
r=$(curl -s "${BASE}campaign/spc/quota/get/?advertiser_id=$ADV" -H "Access-Token: $TOKEN")
check "quota/get reports the active campaign" grep -q "\"used_quota\":1" <<<"$r"

clock "2026-03-31T00:00:00Z" >/dev/null
r=$(post campaign/spc/create/ "$(spc "$ADV" after "2026-03-31 00:00:00")")
check "spc/create is refused from 2026-03-31 00:00:00 (41001)" grep -q '"code":41001' <<<"$r"
check "the refusal names /smart_plus/campaign/create/" grep -q 'smart_plus/campaign/create/' <<<"$r"
r=$(post campaign/spc/update/ "{\"advertiser_id\":\"$ADV\",\"campaign_id\":\"$ID\",\"budget\":150}")
check "spc/update still works on 2026-03-31" grep -q '"budget":150' <<<"$r"

clock "2026-06-30T00:00:00Z" >/dev/null
r=$(post campaign/spc/update/ "{\"advertiser_id\":\"$ADV\",\"campaign_id\":\"$ID\",\"budget\":170}")
check "spc/update is refused from 2026-06-30 (41001)" grep -q '"code":41001.*smart_plus/campaign/update/' <<<"$r"
r=$(post campaign/status/update/ "{\"advertiser_id\":\"$ADV\",\"campaign_ids\":[\"$ID\"],\"operation_status\":\"DISABLE\"}")
check "campaign/status/update is refused from 2026-06-30 (41001)" grep -q '"code":41001.*smart_plus/campaign/status/update/' <<<"$r"

M='{"advertiser_id":"'$ADV'","campaign_name":"m","objective_type":"TRAFFIC","budget_mode":"BUDGET_MODE_DAY","budget":50}'
clock "2026-12-31T23:59:59Z" >/dev/null
r=$(post campaign/create/ "$M")
check "manual campaign/create works on 2026-12-31 23:59:59" grep -q '"code":0' <<<"$r"
clock "2027-01-01T00:00:00Z" >/dev/null
r=$(post campaign/create/ "$M")
check "manual campaign/create is refused from 2027-01-01 (41001)" grep -q '"code":41001.*smart_plus/campaign/create/' <<<"$r"

r=$(curl -s -G "${BASE}campaign/spc/get/" -H "Access-Token: $TOKEN" \
  --data-urlencode "advertiser_id=$ADV" --data-urlencode "campaign_ids=[\"$ID\"]")
check "the legacy campaign is still readable in 2027, with its last budget" \
  grep -q "\"campaign_id\":\"$ID\".*\"budget\":150\|\"budget\":150.*\"campaign_id\":\"$ID\"" <<<"$r"
stop_server
check "server exited cleanly (no sanitizer report)" bash -c "! grep -q 'Sanitizer' '$TMP/server.err'"
