# tests/blackbox/apply.sh - `smartplus apply` against a real smartplusd:
# a plan is created with ids threaded from call to call; a re-run creates
# nothing twice; a plan whose 3rd ad group is refused is rolled back (or
# kept with --keep-partial, and finished by a later run); an unreachable
# server fails fast with bounded retries; a server stopped mid-way leaves a
# summary of what exists, and a re-run after the restart completes the same
# objects; answers lost to a frozen server are retried without duplicates.
. "$(dirname "$0")/lib.sh"
CLI="$BIN_DIR/smartplus"
start_server

count() { # count KIND [FILTERING-JSON] -> total_number of non-deleted objects
  curl -s -G "${BASE}smart_plus/$1/get/" -H "Access-Token: $TOKEN" \
    --data-urlencode "advertiser_id=$ADV" --data-urlencode "page_size=1" \
    ${2:+--data-urlencode "filtering=$2"} | sed -n 's/.*"total_number":\([0-9]*\).*/\1/p'
}
field() { sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" "$2" | head -1; }
apply() { # apply PLAN OUT [options...]: stdout to OUT.json, stderr to OUT.err
  local plan=$1 out=$2; shift 2
  "$CLI" apply "$plan" --base-url "$BASE" --token "$TOKEN" "$@" \
    >"$TMP/$out.json" 2>"$TMP/$out.err"
}

adgroup() { # adgroup NAME [EVENT]
  cat <<EOF
{"adgroup_name": "$1", "promotion_type": "WEBSITE", "optimization_goal": "CONVERT",
 "pixel_id": "$PIXEL", "optimization_event": "${2:-SHOPPING}", "billing_event": "OCPM",
 "bid_type": "BID_TYPE_NO_BID", "schedule_type": "SCHEDULE_FROM_NOW",
 "targeting_optimization_mode": "AUTOMATIC", "targeting_spec": {"location_ids": ["6252001"]},
 "ads": [$(ad "$1 video"), $(ad "$1 video 2")]}
EOF
}
ad() {
  cat <<EOF
{"ad_name": "$1", "creative_list": [{"creative_info": {"ad_format": "SINGLE_VIDEO",
  "video_info": {"video_id": "v-$RANDOM"}, "image_info": [{"web_uri": "thumb"}],
  "identity_type": "CUSTOMIZED_USER", "identity_id": "id1"}}],
 "ad_text_list": [{"ad_text": "Shop the spring collection"}],
 "landing_page_url_list": [{"landing_page_url": "https://example.com/spring"}],
 "call_to_action_list": [{"call_to_action": "SHOP_NOW"}]}
EOF
}
plan() { # plan NAME ADGROUP... (no advertiser_id: apply fills it)
  local name=$1; shift
  printf '{"campaign": {"campaign_name": "%s", "objective_type": "WEB_CONVERSIONS",
    "budget_optimize_on": true, "budget_mode": "BUDGET_MODE_DYNAMIC_DAILY_BUDGET",
    "budget": 500}, "adgroups": [%s]}\n' "$name" "$(IFS=,; echo "$*")"
}

# ---- 1. a plan is created, ids threaded -----------------------------------
plan "Spring" "$(adgroup "Spring A")" "$(adgroup "Spring B")" >"$TMP/p1.json"
apply "$TMP/p1.json" r1 --advertiser-id "$ADV"
rc=$?
check "apply creates a 2 ad group, 4 ad plan (exit 0)" [ "$rc" = 0 ]
check "summary says created" grep -q '"result": "created"' "$TMP/r1.json"
C1=$(field campaign_id "$TMP/r1.json")
check "the campaign exists on the server" [ "$(count campaign "{\"campaign_ids\":[\"$C1\"]}")" = 1 ]
check "both ad groups were created under it" [ "$(count adgroup "{\"campaign_ids\":[\"$C1\"]}")" = 2 ]
check "all 4 ads were created under them" [ "$(count ad "{\"campaign_ids\":[\"$C1\"]}")" = 4 ]
check "progress went to stderr step by step" grep -q '^apply: \[7/7\] adgroups\[1\].ads\[1\]' "$TMP/r1.err"
check "the advertiser was filled from --advertiser-id" grep -q "\"advertiser_id\": \"$ADV\"" "$TMP/r1.json"

# ---- 2. a re-run creates nothing twice ------------------------------------
camps=$(count campaign); groups=$(count adgroup); ads=$(count ad)
apply "$TMP/p1.json" r2 --advertiser-id "$ADV"
check "re-run exits 0" [ $? = 0 ]
check "re-run names the same objects" diff <(sed -n '/"exists": {/,$p' "$TMP/r1.json") \
  <(sed -n '/"exists": {/,$p' "$TMP/r2.json")
check "re-run created no campaign, ad group or ad" \
  [ "$(count campaign)/$(count adgroup)/$(count ad)" = "$camps/$groups/$ads" ]
check "re-run found the ads of the first run" [ "$(grep -c 'made by an earlier run' "$TMP/r2.err")" = 4 ]

# ---- 3. the 3rd ad group is refused: everything is rolled back ------------
plan "Summer" "$(adgroup "Summer A")" "$(adgroup "Summer B")" \
  "$(adgroup "Summer C" ON_WEB_CART)" >"$TMP/p3.json"
camps=$(count campaign); groups=$(count adgroup); ads=$(count ad)
apply "$TMP/p3.json" r3 --advertiser-id "$ADV"
check "a refused 3rd ad group fails the run (exit 1)" [ $? = 1 ]
check "summary says rolled_back" grep -q '"result": "rolled_back"' "$TMP/r3.json"
check "summary names the failing step and the API's message" \
  grep -q '"step": "adgroups\[2\]"' "$TMP/r3.json"
check "the API's rule is quoted (CBO uniformity)" grep -q 'ADGROUP_CBO_UNIFORM' "$TMP/r3.json"
check "stderr says it rolled back and nothing exists" \
  grep -q 'nothing of this plan exists' "$TMP/r3.err"
check "nothing of it is left on the server" \
  [ "$(count campaign)/$(count adgroup)/$(count ad)" = "$camps/$groups/$ads" ]
check "summary lists no existing ids" grep -q '"campaign_ids": \[\]' "$TMP/r3.json"
C3=$(field campaign_id "$TMP/r3.json")

# ---- 4. --keep-partial keeps and lists what exists --------------------------
apply "$TMP/p3.json" r4 --advertiser-id "$ADV" --keep-partial
check "--keep-partial still fails the run (exit 1)" [ $? = 1 ]
check "summary says partial" grep -q '"result": "partial"' "$TMP/r4.json"
C4=$(field campaign_id "$TMP/r4.json")
check "a fresh campaign, not the rolled-back one ($C4 != $C3)" [ "$C4" != "$C3" ]
check "its 2 good ad groups exist" [ "$(count adgroup "{\"campaign_ids\":[\"$C4\"]}")" = 2 ]
check "and their 4 ads" [ "$(count ad "{\"campaign_ids\":[\"$C4\"]}")" = 4 ]
check "stderr lists what exists" grep -q "exists now on .*campaign $C4; ad groups" "$TMP/r4.err"
kept=$(sed -n '/"adgroup_ids": \[/,/\]/p' "$TMP/r4.json" | grep -c '"[0-9]*"')
check "summary lists the 2 kept ad groups" [ "$kept" = 2 ]

# ---- 5. fixing the plan and re-running finishes it -------------------------
plan "Summer" "$(adgroup "Summer A")" "$(adgroup "Summer B")" \
  "$(adgroup "Summer C")" >"$TMP/p5.json"
apply "$TMP/p5.json" r5 --advertiser-id "$ADV"
check "the fixed plan completes (exit 0)" [ $? = 0 ]
check "on the kept campaign" [ "$(field campaign_id "$TMP/r5.json")" = "$C4" ]
check "which now has 3 ad groups" [ "$(count adgroup "{\"campaign_ids\":[\"$C4\"]}")" = 3 ]
check "and 6 ads, none twice" [ "$(count ad "{\"campaign_ids\":[\"$C4\"]}")" = 6 ]

# ---- 6. unreachable server: clear error, bounded retries -------------------
start=$(date +%s%N)
"$CLI" apply "$TMP/p1.json" --base-url "http://127.0.0.1:9/open_api/v1.3/" --token "$TOKEN" \
  --advertiser-id "$ADV" --retries 2 --backoff-ms 100 --timeout 2 \
  >"$TMP/r6.json" 2>"$TMP/r6.err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "unreachable server fails (exit 1)" [ "$rc" = 1 ]
check "the error names the network failure" grep -qi "couldn't connect\|connection refused" "$TMP/r6.err"
check "it retried twice with backoff" grep -q 'retry 2 of 2 in 200 ms' "$TMP/r6.err"
check "and gave up in bounded time (${ms} ms < 8000)" [ "$ms" -lt 8000 ]
check "summary says failed, nothing exists" grep -q '"result": "failed"' "$TMP/r6.json"
env -u SMARTPLUS_TOKEN "$CLI" apply "$TMP/p1.json" --base-url "$BASE" >/dev/null 2>&1
check "no token is a usage error (exit 2)" [ $? = 2 ]

# ---- 7. server stopped mid-way, restarted, re-run --------------------------
plan "Autumn" "$(adgroup "Autumn A")" "$(adgroup "Autumn B")" "$(adgroup "Autumn C")" >"$TMP/p7.json"
camps=$(count campaign)
SMARTPLUS_APPLY_STEP_DELAY_MS=400 "$CLI" apply "$TMP/p7.json" --base-url "$BASE" \
  --token "$TOKEN" --advertiser-id "$ADV" --retries 2 --backoff-ms 100 --timeout 2 \
  >"$TMP/r7.json" 2>"$TMP/r7.err" &
apid=$!
for _ in $(seq 1 100); do grep -q '\[2/10\]' "$TMP/r7.err" && break; sleep 0.05; done
stop_server
start=$(date +%s%N)
wait $apid
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "a server stopped mid-way fails the run (exit 1)" [ "$rc" = 1 ]
check "within bounded time (${ms} ms < 10000)" [ "$ms" -lt 10000 ]
check "the rollback could not reach it either: rollback_failed" \
  grep -q '"result": "rollback_failed"' "$TMP/r7.json"
C7=$(sed -n '/"campaign_ids": \[/,/\]/p' "$TMP/r7.json" | grep -o '[0-9]\{6,\}' | head -1)
check "summary lists the campaign that exists ($C7)" [ -n "$C7" ]
check "stderr says what exists and what to do" grep -q 're-run apply to finish the plan' "$TMP/r7.err"
start_server
apply "$TMP/p7.json" r8 --advertiser-id "$ADV"
check "after the restart a re-run completes (exit 0)" [ $? = 0 ]
check "on the same campaign" [ "$(field campaign_id "$TMP/r8.json")" = "$C7" ]
check "one campaign more than before, not two" [ "$(count campaign)" = $((camps + 1)) ]
check "with its 3 ad groups and 6 ads, none twice" \
  [ "$(count adgroup "{\"campaign_ids\":[\"$C7\"]}")/$(count ad "{\"campaign_ids\":[\"$C7\"]}")" = 3/6 ]

# ---- 8. answers lost (server frozen): the request_id makes the retry safe ----
plan "Winter" "$(adgroup "Winter A")" >"$TMP/p8.json"
camps=$(count campaign)
kill -STOP "$PID"
start=$(date +%s%N)
apply "$TMP/p8.json" r10 --advertiser-id "$ADV" --retries 1 --backoff-ms 100 --timeout 1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
kill -CONT "$PID"
check "a frozen server times out the run (exit 1)" [ "$rc" = 1 ]
check "after 1 + 1 tries of 1 s each (${ms} ms < 5000)" [ "$ms" -lt 5000 ]
check "the error is a timeout" grep -qi 'timeout\|timed out' "$TMP/r10.err"
check "the summary warns the campaign may exist all the same" \
  grep -q '"maybe_exists": "campaign"' "$TMP/r10.json"
apply "$TMP/p8.json" r11 --advertiser-id "$ADV"
check "a re-run once the server answers completes (exit 0)" [ $? = 0 ]
check "the two unanswered creates and the re-run made one campaign" \
  [ "$(count campaign)" = $((camps + 1)) ]

# ---- 9. migrate | apply ------------------------------------------------------
cat >"$TMP/legacy.json" <<EOF
{"advertiser_id": "$ADV", "objective_type": "WEB_CONVERSIONS", "spc_type": "WEB_ALL_IN_ONE",
 "campaign_name": "Legacy web", "promotion_type": "WEBSITE", "optimization_goal": "CONVERT",
 "pixel_id": "$PIXEL", "optimization_event": "SHOPPING", "billing_event": "OCPM",
 "location_ids": ["6252001"], "budget_mode": "BUDGET_MODE_DAY", "budget": 120,
 "schedule_type": "SCHEDULE_FROM_NOW", "schedule_start_time": "2026-03-01 00:00:00",
 "identity_type": "CUSTOMIZED_USER",
 "media_info_list": [{"media_info": {"video_info": {"video_id": "v1"}, "image_info": [{"web_uri": "c1"}]}}],
 "title_list": [{"title": "Spring sale"}], "call_to_action_id": "7000000000000000009",
 "landing_page_urls": [{"landing_page_url": "https://example.com/spring"}]}
EOF
"$CLI" migrate "$TMP/legacy.json" 2>/dev/null | "$CLI" apply - --base-url "$BASE" \
  --token "$TOKEN" >"$TMP/r9.json" 2>"$TMP/r9.err"
check "migrate | apply creates the migrated campaign" grep -q '"result": "created"' "$TMP/r9.json"

stop_server
no_sanitizer_report() { ! grep -q 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error' "$TMP/server.err" "$TMP"/r*.err; }
check "no sanitizer report (server and CLI)" no_sanitizer_report
