# tests/blackbox/roundtrip.sh - legacy and upgraded side by side on one
# smartplusd clocked before the legacy deadline (2026-03-01): for legacy
# requests covering each objective and creative format, campaign/spc/create
# gives object A; `smartplus migrate` + `smartplus apply` on the same server
# give the upgraded campaign, ad group and ad B. B's get views must carry
# A's intent: budget, schedule, targeting, optimisation, creatives, texts,
# CTAs and destination. Values are compared as the two get views print them.
. "$(dirname "$0")/lib.sh"
CLI="$BIN_DIR/smartplus"

# lib.sh's start_server, with the clock set before the legacy deadline
"$BIN_DIR/smartplusd" --port 0 --db "$DB" --demo-token "$TOKEN" \
  --clock 2026-03-01T00:00:00Z >"$TMP/server.out" 2>"$TMP/server.err" &
PID=$!
for _ in $(seq 1 200); do
  BASE=$(sed -n 's/^base_url: //p' "$TMP/server.out")
  [ -n "$BASE" ] && break
  sleep 0.05
done
ADV=$(sed -n 's/^advertiser_id: //p' "$TMP/server.out")
PIXEL=$(sed -n 's/^pixel_id: //p' "$TMP/server.out")
[ -n "$BASE" ] || { echo "not ok - server did not start"; cat "$TMP/server.err"; exit 1; }

get() { # get KIND FILTER-KEY ID -> the one object's get view (compact JSON)
  curl -s -G "${BASE}$1" -H "Access-Token: $TOKEN" --data-urlencode "advertiser_id=$ADV" \
    --data-urlencode "filtering={\"$2\":[\"$3\"]}"
}
# every non-null scalar or array of scalars under "KEY" in FILE, one per
# distinct value per line, numbers printed alike (200 and 200.0), sorted
vals() {
  grep -o "\"$1\":\(\"[^\"]*\"\|-\?[0-9][0-9.e+-]*\|true\|false\|\[[^]]*\]\)" "$2" |
    sed "s/^\"$1\"://" |
    awk '/^-?[0-9]/ { printf "%g\n", $0; next } { print }' | sort -u
}
same() { # same WHAT A-KEY B-FILE [B-KEY]: A's values = B's values (and not empty)
  local a b
  a=$(vals "$2" "$TMP/A.json")
  b=$(vals "${4:-$2}" "$3")
  if [ -n "$a" ] && [ "$a" = "$b" ]; then ok "$case: $1"
  else notok "$case: $1 (legacy: $(echo $a) / upgraded: $(echo $b))"; fi
}
absent_or_full() { # dayparting: absent or all-day on both sides means full time
  local v
  v=$(vals dayparting "$1" | tr -d '"01')
  [ -z "$v" ]
}

age_floor() { # age_floor LEGACY UPGRADED: the same age floor, in each API's spelling
  if grep -q "\"spc_audience_age\":\"$1\"" "$TMP/A.json" &&
    grep -q "\"spc_audience_age\":\"$2\"" "$TMP/Bg.json"; then ok "$case: age floor $1 = $2"
  else notok "$case: age floor (legacy: $(vals spc_audience_age "$TMP/A.json") / upgraded: $(vals spc_audience_age "$TMP/Bg.json"))"; fi
}

roundtrip() { # roundtrip CASE LEGACY-JSON CHECKS...
  case=$1
  printf '%s\n' "$2" >"$TMP/legacy.json"
  # A: the legacy call
  r=$(curl -s -X POST "${BASE}campaign/spc/create/" -H "Access-Token: $TOKEN" \
    -H 'Content-Type: application/json' --data-binary @"$TMP/legacy.json")
  a_id=$(sed -n 's/.*"code":0,.*"campaign_id":"\([0-9]*\)".*/\1/p' <<<"$r")
  if [ -z "$a_id" ]; then notok "$case: spc/create refused the legacy request: $r"; return; fi
  ok "$case: spc/create made legacy campaign $a_id"
  curl -s -G "${BASE}campaign/spc/get/" -H "Access-Token: $TOKEN" \
    --data-urlencode "advertiser_id=$ADV" --data-urlencode "campaign_ids=[\"$a_id\"]" \
    >"$TMP/A.json"
  # B: migrate + apply on the same server
  "$CLI" migrate "$TMP/legacy.json" -o "$TMP/plan.json" >"$TMP/report.json" 2>&1
  "$CLI" apply "$TMP/plan.json" --base-url "$BASE" --token "$TOKEN" -q >"$TMP/sum.json" 2>"$TMP/apply.err"
  if ! grep -q '"result": "created"' "$TMP/sum.json"; then
    notok "$case: migrate + apply failed: $(cat "$TMP/apply.err" "$TMP/sum.json" | tr '\n' ' ')"
    return
  fi
  c=$(sed -n '/"campaign_ids"/,/]/p' "$TMP/sum.json" | grep -o '[0-9]\{6,\}')
  g=$(sed -n '/"adgroup_ids"/,/]/p' "$TMP/sum.json" | grep -o '[0-9]\{6,\}')
  d=$(sed -n '/"smart_plus_ad_ids"/,/]/p' "$TMP/sum.json" | grep -o '[0-9]\{6,\}')
  ok "$case: migrate + apply made campaign $c, ad group $g, ad $d"
  get smart_plus/campaign/get/ campaign_ids "$c" >"$TMP/Bc.json"
  get smart_plus/adgroup/get/ adgroup_ids "$g" >"$TMP/Bg.json"
  get smart_plus/ad/get/ smart_plus_ad_ids "$d" >"$TMP/Ba.json"
  shift 2
  for chk in "$@"; do eval "$chk"; done
}

# what every case compares
BUDGET=(
  'same "budget" budget "$TMP/Bc.json"'
  'same "campaign name" campaign_name "$TMP/Bc.json"'
  'same "objective" objective_type "$TMP/Bc.json"'
  'check "$case: daily budget stays daily" grep -q "\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\"" "$TMP/Bc.json"'
)
SCHEDULE=(
  'same "schedule type" schedule_type "$TMP/Bg.json"'
  'same "schedule start" schedule_start_time "$TMP/Bg.json"'
  'check "$case: full-time delivery on both sides" absent_or_full "$TMP/A.json"'
  'check "$case: (upgraded)" absent_or_full "$TMP/Bg.json"'
)
TARGETING=(
  'same "locations" location_ids "$TMP/Bg.json"'
)
OPTIMISATION=(
  'same "promotion type" promotion_type "$TMP/Bg.json"'
  'same "optimization goal" optimization_goal "$TMP/Bg.json"'
  'same "billing event" billing_event "$TMP/Bg.json"'
  'same "bid type" bid_type "$TMP/Bg.json"'
)
TEXTS=('same "ad texts" title "$TMP/Ba.json" ad_text')

# ---- Web Conversions, uploaded videos, standard CTA, URL, Max Delivery ----
roundtrip "web video" '{"advertiser_id": "'$ADV'", "objective_type": "WEB_CONVERSIONS",
 "spc_type": "WEB_ALL_IN_ONE", "campaign_name": "RT web video", "promotion_type": "WEBSITE",
 "optimization_goal": "CONVERT", "pixel_id": "'$PIXEL'", "optimization_event": "SHOPPING",
 "bid_type": "BID_TYPE_NO_BID", "billing_event": "OCPM", "location_ids": ["6252001"],
 "languages": ["en"], "gender": "GENDER_FEMALE", "spc_audience_age": "18+",
 "excluded_audience_ids": ["7400000000000000001"], "budget_mode": "BUDGET_MODE_DAY", "budget": 150,
 "schedule_type": "SCHEDULE_FROM_NOW", "schedule_start_time": "2026-03-01 00:00:00",
 "identity_type": "CUSTOMIZED_USER", "identity_id": "brand",
 "media_info_list": [
  {"media_info": {"video_info": {"video_id": "v-rt-1"}, "image_info": [{"web_uri": "cover-1"}]}},
  {"media_info": {"video_info": {"video_id": "v-rt-2"}, "image_info": [{"web_uri": "cover-2"}]}}],
 "title_list": [{"title": "Spring sale"}, {"title": "New arrivals this week"}],
 "call_to_action_list": [{"call_to_action": "SHOP_NOW"}, {"call_to_action": "LEARN_MORE"}],
 "landing_page_urls": [{"landing_page_url": "https://example.com/spring"}]}' \
  "${BUDGET[@]}" "${SCHEDULE[@]}" "${TARGETING[@]}" "${OPTIMISATION[@]}" "${TEXTS[@]}" \
  'same "languages" languages "$TMP/Bg.json"' \
  'same "gender" gender "$TMP/Bg.json"' \
  'same "excluded audiences" excluded_audience_ids "$TMP/Bg.json"' \
  'age_floor "18+" OVER_EIGHTEEN' \
  'same "pixel" pixel_id "$TMP/Bg.json"' \
  'same "optimization event" optimization_event "$TMP/Bg.json"' \
  'same "videos" video_id "$TMP/Ba.json"' \
  'same "video covers" web_uri "$TMP/Ba.json"' \
  'same "identity" identity_id "$TMP/Ba.json"' \
  'same "standard CTAs" call_to_action "$TMP/Ba.json"' \
  'same "landing page" landing_page_url "$TMP/Ba.json"'

# ---- Web Conversions, Standard Carousel, dynamic CTA, Cost Cap, dates ------
roundtrip "web carousel" '{"advertiser_id": "'$ADV'", "objective_type": "WEB_CONVERSIONS",
 "spc_type": "WEB_ALL_IN_ONE", "campaign_name": "RT web carousel", "promotion_type": "WEBSITE",
 "optimization_goal": "CONVERT", "pixel_id": "'$PIXEL'", "optimization_event": "ON_WEB_CART",
 "bid_type": "BID_TYPE_CUSTOM", "conversion_bid_price": 9.5, "billing_event": "OCPM",
 "location_ids": ["6252001", "1861060"], "budget_mode": "BUDGET_MODE_DYNAMIC_DAILY_BUDGET",
 "budget": 300, "schedule_type": "SCHEDULE_START_END",
 "schedule_start_time": "2026-03-02 00:00:00", "schedule_end_time": "2026-03-20 00:00:00",
 "identity_type": "CUSTOMIZED_USER", "identity_id": "brand",
 "media_info_list": [{"media_info": {"image_info": [{"web_uri": "img-1"}, {"web_uri": "img-2"},
   {"web_uri": "img-3"}], "music_info": {"music_id": "music-1"}}}],
 "title_list": [{"title": "Swipe the spring looks"}],
 "call_to_action_id": "7000000000000000009",
 "landing_page_urls": [{"landing_page_url": "https://example.com/looks"}]}' \
  "${BUDGET[@]}" "${TARGETING[@]}" "${OPTIMISATION[@]}" "${TEXTS[@]}" \
  'same "schedule type" schedule_type "$TMP/Bg.json"' \
  'same "schedule start" schedule_start_time "$TMP/Bg.json"' \
  'same "schedule end" schedule_end_time "$TMP/Bg.json"' \
  'same "Cost Cap" conversion_bid_price "$TMP/Bg.json"' \
  'same "carousel images" web_uri "$TMP/Ba.json"' \
  'same "music" music_id "$TMP/Ba.json"' \
  'same "dynamic CTA" call_to_action_id "$TMP/Ba.json"' \
  'same "landing page" landing_page_url "$TMP/Ba.json"' \
  'check "$case: the creative is a carousel" grep -q "\"ad_format\":\"CAROUSEL_ADS\"" "$TMP/Ba.json"'

# ---- Web Conversions, Spark Ad (a TikTok post) ----------------------------
roundtrip "web spark" '{"advertiser_id": "'$ADV'", "objective_type": "WEB_CONVERSIONS",
 "spc_type": "WEB_ALL_IN_ONE", "campaign_name": "RT web spark", "promotion_type": "WEBSITE",
 "optimization_goal": "CONVERT", "pixel_id": "'$PIXEL'", "optimization_event": "SHOPPING",
 "bid_type": "BID_TYPE_NO_BID", "billing_event": "OCPM", "location_ids": ["6252001"],
 "budget": 200, "schedule_type": "SCHEDULE_FROM_NOW", "schedule_start_time": "2026-03-01 00:00:00",
 "media_info_list": [{"media_info": {"tiktok_item_id": "7300000000000000001",
   "identity_type": "TT_USER", "identity_id": "creator-1"}}],
 "call_to_action_list": [{"call_to_action": "SHOP_NOW"}],
 "landing_page_urls": [{"landing_page_url": "https://example.com/product"}]}' \
  "${BUDGET[@]}" "${SCHEDULE[@]}" "${TARGETING[@]}" "${OPTIMISATION[@]}" \
  'same "TikTok post" tiktok_item_id "$TMP/Ba.json"' \
  'same "Spark identity type" identity_type "$TMP/Ba.json"' \
  'same "Spark identity" identity_id "$TMP/Ba.json"' \
  'same "standard CTA" call_to_action "$TMP/Ba.json"' \
  'same "landing page" landing_page_url "$TMP/Ba.json"'

# ---- App Promotion (the legacy document's own example) --------------------
roundtrip "app install" '{"advertiser_id": "'$ADV'", "operation_status": "ENABLE",
 "objective_type": "APP_PROMOTION", "app_promotion_type": "APP_INSTALL",
 "campaign_type": "REGULAR_CAMPAIGN", "campaign_name": "RT app install",
 "promotion_type": "APP_ANDROID", "app_id": "7100000000000000001",
 "placement_type": "PLACEMENT_TYPE_AUTOMATIC", "location_ids": ["6252001"],
 "budget_mode": "BUDGET_MODE_DYNAMIC_DAILY_BUDGET", "budget": 100,
 "schedule_type": "SCHEDULE_START_END", "schedule_start_time": "2026-03-01 00:00:00",
 "schedule_end_time": "2026-03-31 00:00:00", "optimization_goal": "INSTALL",
 "bid_type": "BID_TYPE_NO_BID", "billing_event": "OCPM",
 "identity_type": "CUSTOMIZED_USER", "identity_id": "brand",
 "media_info_list": [{"media_info": {"video_info": {"video_id": "v-app-1", "file_name": "app.mp4"},
   "image_info": [{"web_uri": "cover-app"}]}}],
 "title_list": [{"title": "Install the app today"}],
 "call_to_action_id": "7000000000000000009"}' \
  "${BUDGET[@]}" "${TARGETING[@]}" "${OPTIMISATION[@]}" "${TEXTS[@]}" \
  'same "schedule start" schedule_start_time "$TMP/Bg.json"' \
  'same "schedule end" schedule_end_time "$TMP/Bg.json"' \
  'same "app" app_id "$TMP/Bc.json"' \
  'same "app promotion type" app_promotion_type "$TMP/Bc.json"' \
  'same "video" video_id "$TMP/Ba.json"' \
  'same "video file name" file_name "$TMP/Ba.json"' \
  'same "dynamic CTA" call_to_action_id "$TMP/Ba.json"'

# ---- Lead Generation (Instant Form page) ----------------------------------
roundtrip "lead generation" '{"advertiser_id": "'$ADV'", "objective_type": "LEAD_GENERATION",
 "campaign_name": "RT leads", "promotion_type": "LEAD_GENERATION",
 "promotion_target_type": "INSTANT_PAGE", "optimization_goal": "LEAD_GENERATION",
 "bid_type": "BID_TYPE_NO_BID", "billing_event": "OCPM", "location_ids": ["6252001"],
 "spc_audience_age": "25+",
 "placement_type": "PLACEMENT_TYPE_NORMAL", "placements": ["PLACEMENT_TIKTOK"],
 "budget_mode": "BUDGET_MODE_DYNAMIC_DAILY_BUDGET", "budget": 80,
 "schedule_type": "SCHEDULE_FROM_NOW", "schedule_start_time": "2026-03-01 00:00:00",
 "identity_type": "CUSTOMIZED_USER", "identity_id": "brand",
 "media_info_list": [{"media_info": {"video_info": {"video_id": "v-lead-1"},
   "image_info": [{"web_uri": "cover-lead"}]}}],
 "title_list": [{"title": "Get your free quote"}],
 "call_to_action_id": "7000000000000000009",
 "page_list": [{"page_id": "7200000000000000001"}]}' \
  "${BUDGET[@]}" "${SCHEDULE[@]}" "${TARGETING[@]}" "${OPTIMISATION[@]}" "${TEXTS[@]}" \
  'same "promotion target" promotion_target_type "$TMP/Bg.json"' \
  'same "placements" placements "$TMP/Bg.json"' \
  'age_floor "25+" OVER_TWENTY_FIVE' \
  'same "instant form page" page_id "$TMP/Ba.json"' \
  'same "dynamic CTA" call_to_action_id "$TMP/Ba.json"'

kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
PID=
no_sanitizer_report() { ! grep -q 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error' "$TMP/server.err"; }
check "server exited cleanly (no sanitizer report)" no_sanitizer_report
