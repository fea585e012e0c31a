# tests/blackbox/simulate.sh - the simulator behind the sandbox clock, end
# to end on a real smartplusd: the seeds' campaign, ad group and ad, a
# 48-hour advance, the daily report, the ad group's learning state, and the
# same seed and requests giving byte-identical reports (another seed not),
# and `smartplus advise` reading the campaign's reports from the server.
. "$(dirname "$0")/lib.sh"

post() { curl -s -X POST "$BASE$1" -H "Access-Token: $TOKEN" -H 'Content-Type: application/json' -d "$2"; }
sandbox() { curl -s -X POST "${BASE%/open_api/v1.3/}/sandbox/clock/$1" -H "Access-Token: $TOKEN" -d "$2"; }
id_of() { sed -n "s/.*\"$1\":\"\([0-9]*\)\".*/\1/p" <<<"$2" | head -1; }

# run_world SEED: start a server, create the plan, advance 48 h; sets
# REPORT (the day report without its request_id), ADVANCE and AG_VIEW
run_world() {
  SEED_ARG=$1
  "$BIN_DIR/smartplusd" --port 0 --db "$TMP/sim$1-$RANDOM.db" --demo-token "$TOKEN" --seed "$1" \
    >"$TMP/server.out" 2>"$TMP/server.err" &
  PID=$!
  for _ in $(seq 1 200); do
    BASE=$(sed -n 's/^base_url: //p' "$TMP/server.out"); [ -n "$BASE" ] && break; sleep 0.05
  done
  ADV=$(sed -n 's/^advertiser_id: //p' "$TMP/server.out")
  PIXEL=$(sed -n 's/^pixel_id: //p' "$TMP/server.out")
  sandbox set '{"time":"2026-04-01 00:00:00","frozen":true}' >/dev/null
  local r
  # a pixel of its own, which no traffic has reached yet (the demo pixel
  # comes with both sources recorded)
  r=$(post pixel/create/ '{"advertiser_id":"'$ADV'","pixel_name":"Simulated shop"}')
  PIXEL=$(id_of pixel_id "$r")
  r=$(post smart_plus/campaign/create/ '{"advertiser_id":"'$ADV'","campaign_name":"Q2 Web Conversions - CBO","objective_type":"WEB_CONVERSIONS","budget_optimize_on":true,"budget_mode":"BUDGET_MODE_DYNAMIC_DAILY_BUDGET","budget":500}')
  C=$(id_of campaign_id "$r")
  r=$(post smart_plus/adgroup/create/ '{"advertiser_id":"'$ADV'","campaign_id":"'$C'","adgroup_name":"US Purchasers","promotion_type":"WEBSITE","optimization_goal":"CONVERT","pixel_id":"'$PIXEL'","optimization_event":"COMPLETE_PAYMENT","billing_event":"OCPM","bid_type":"BID_TYPE_NO_BID","schedule_type":"SCHEDULE_FROM_NOW","targeting_optimization_mode":"AUTOMATIC","targeting_spec":{"location_ids":["6252001"]},"placement_type":"PLACEMENT_TYPE_NORMAL","placements":["PLACEMENT_TIKTOK"]}')
  G=$(id_of adgroup_id "$r")
  r=$(post smart_plus/ad/create/ '{"advertiser_id":"'$ADV'","adgroup_id":"'$G'","ad_name":"Spring","creative_list":[{"creative_info":{"ad_format":"SINGLE_VIDEO","video_info":{"video_id":"v1"},"image_info":[{"web_uri":"https://cdn.example/t1.jpg"}],"identity_type":"CUSTOMIZED_USER"}},{"creative_info":{"ad_format":"SINGLE_VIDEO","video_info":{"video_id":"v2"},"image_info":[{"web_uri":"https://cdn.example/t2.jpg"}],"identity_type":"CUSTOMIZED_USER"}}],"ad_text_list":[{"ad_text":"Shop the spring collection"},{"ad_text":"New arrivals this week"}],"landing_page_url_list":[{"landing_page_url":"https://www.example.com/spring"}],"call_to_action_list":[{"call_to_action":"SHOP_NOW"}]}')
  A=$(id_of smart_plus_ad_id "$r")
  PX_BEFORE=$(curl -s "${BASE}pixel/list/?advertiser_id=$ADV" -H "Access-Token: $TOKEN" |
    grep -o "\"pixel_id\":\"$PIXEL\"[^}]*")
  ADVANCE=$(sandbox advance '{"hours":96}')
  PX_AFTER=$(curl -s "${BASE}pixel/list/?advertiser_id=$ADV" -H "Access-Token: $TOKEN" |
    grep -o "\"pixel_id\":\"$PIXEL\"[^}]*")
  REPORT=$(curl -s "${BASE}report/integrated/get/?advertiser_id=$ADV&report_type=BASIC&data_level=AUCTION_ADGROUP&dimensions=%5B%22adgroup_id%22%2C%22stat_time_day%22%5D&metrics=%5B%22spend%22%2C%22impressions%22%2C%22clicks%22%2C%22conversion%22%2C%22cost_per_conversion%22%5D&start_date=2026-04-01&end_date=2026-04-05" \
    -H "Access-Token: $TOKEN" | sed 's/"request_id":"[^"]*"//')
  AG_VIEW=$(curl -s "${BASE}smart_plus/adgroup/get/?advertiser_id=$ADV" -H "Access-Token: $TOKEN")
  STATS=$(curl -s -G "${BASE}pixel/event/stats/" -H "Access-Token: $TOKEN" \
    --data-urlencode advertiser_id=$ADV --data-urlencode "pixel_ids=[\"$PIXEL\"]" \
    --data-urlencode 'date_range={"start_date":"2026-04-01","end_date":"2026-04-05"}')
  ADVICE=$("$BIN_DIR/smartplus" advise --base-url "$BASE" --token "$TOKEN" \
    --advertiser-id "$ADV" --campaign-id "$C" --json 2>&1)
  NO_CAMPAIGN=$("$BIN_DIR/smartplus" advise --base-url "$BASE" --token "$TOKEN" \
    --advertiser-id "$ADV" --campaign-id 1 2>&1; echo "exit $?")
  stop_server
}

run_world 7
check "objects created (campaign $C, ad group $G, ad $A)" \
  sh -c '[ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ]' _ "$C" "$G" "$A"
check "advance ran 96 hours" grep -q '"advanced_seconds":345600' <<<"$ADVANCE"
imps=$(sed -n 's/.*"simulation":{[^}]*"impressions":\([0-9]*\).*/\1/p' <<<"$ADVANCE")
check "the world delivered impressions ($imps)" [ "${imps:-0}" -gt 1000 ]
check "the clock is frozen after an advance" grep -q '"frozen":true' <<<"$ADVANCE"
days=$(grep -o '"stat_time_day"' <<<"$REPORT" | wc -l)
check "the report has one row per day ($days)" [ "$days" = 4 ]
spend1=$(sed -n 's/.*"stat_time_day":"2026-04-01 00:00:00"},"metrics":{"spend":"\([0-9.]*\)".*/\1/p' <<<"$REPORT")
check "day 1 spends about the 500 daily budget ($spend1)" awk -v s="${spend1:-0}" 'BEGIN { exit !(s > 400 && s <= 600) }'
check "ad group get shows the learning state" grep -q '"learning_status":"' <<<"$AG_VIEW"
# the conversions went through the events pipeline: every copy received,
# Pixel and Events API copies merged by event_id, none counted twice
sent=$(sed -n 's/.*"event_copies_sent":\([0-9]*\).*/\1/p' <<<"$ADVANCE")
conv=$(sed -n 's/.*"simulation":{[^}]*"conversion":\([0-9]*\).*/\1/p' <<<"$ADVANCE")
total=$(sed -n 's/.*"event":"CompletePayment","received":{[^}]*"total":\([0-9]*\)}.*/\1/p' <<<"$STATS")
kept=$(sed -n 's/.*"event":"CompletePayment".*"kept":\([0-9]*\).*/\1/p' <<<"$STATS")
merged=$(sed -n 's/.*"event":"CompletePayment".*"merged":\([0-9]*\).*/\1/p' <<<"$STATS")
check "pixel stats received every simulated copy ($total of $sent)" \
  sh -c '[ -n "$1" ] && [ "$2" = "$1" ]' _ "$sent" "${total:-x}"
check "Pixel and Events API copies merged by event_id ($merged), kept once ($kept = $total - $merged)" \
  sh -c '[ "$1" -gt 0 ] && [ "$2" = "$3" ]' _ "${merged:-0}" "${kept:-x}" "$((${total:-0} - ${merged:-0}))"
check "kept events cover the reported conversions ($kept >= $conv)" [ "${kept:-0}" -ge "${conv:-1}" ]
# the simulated copies came from the browser Pixel and the Events API: the
# pixel records both sources, as it does for real traffic
check "the pixel had no event source before the advance" \
  bash -c '[ -n "$1" ] && ! grep -q "event_sources" <<<"$1"' _ "$PX_BEFORE"
check "after it, the pixel records the Pixel and Events API sources" \
  bash -c 'grep -q "\"BROWSER\"" <<<"$1" && grep -q "\"EVENTS_API\"" <<<"$1"' _ "$PX_AFTER"
check "advise: the campaign spends its whole budget daily, so raise it up to 30%" \
  grep -q '"rule": "BUDGET_RAISE"' <<<"$ADVICE"
check "advise: 500 is over 10x the CPA, so no budget floor" \
  bash -c '! grep -q BUDGET_FLOOR <<<"$1"' _ "$ADVICE"
check "advise: an unknown campaign is an error naming it (exit 2)" \
  grep -q 'campaign 1 not found' <<<"$NO_CAMPAIGN"
check "advise: ... and exits 2" grep -q '^exit 2$' <<<"$NO_CAMPAIGN"
first=$REPORT

run_world 7
check "the same seed and requests give a byte-identical report" [ "$REPORT" = "$first" ]
run_world 8
check "another seed gives another report" [ "$REPORT" != "$first" ]

start_server
r=$(curl -s -X POST "${BASE%/open_api/v1.3/}/sandbox/clock/advance" -d '{"hours":1}')
check "advance needs a token" grep -q '"code":40104' <<<"$r"
r=$(sandbox advance '{"hours":-1}')
check "advance refuses going back, naming the field" grep -q '"code":40002.*hours' <<<"$r"
stop_server
