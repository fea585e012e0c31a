# tests/blackbox/three_calls.sh - the five curl commands of
# ../shared/seeds/001 run against a real smartplusd, changing only the base
# URL, the token and the placeholders the guide asks the reader to fill in
# (advertiser, campaign, pixel and ad group ids), threading ids from call to
# call. Then the objects are read back, updated, paused and deleted.
. "$(dirname "$0")/lib.sh"
start_server

# the guide's base URL and token, swapped for the sandbox's
SEEDS_BASE='https://business-api.tiktok.com/open_api/v1.3/'
seed() { # seed PATH BODY: the guide's curl, verbatim
  local url="${SEEDS_BASE}$1"
  url="${url/$SEEDS_BASE/$BASE}"
  curl -s -X POST "$url" \
    -H "Access-Token: $TOKEN" \
    -H 'Content-Type: application/json' \
    -d "$2"
}
id_of() { sed -n "s/.*\"$1\":\"\([0-9]*\)\".*/\1/p" <<<"$2" | head -1; }

r=$(seed smart_plus/campaign/create/ '{
"advertiser_id": "'$ADV'",
"campaign_name": "Q2 Web Conversions - CBO",
"objective_type": "WEB_CONVERSIONS",
"budget_optimize_on": true,
"budget_mode": "BUDGET_MODE_DYNAMIC_DAILY_BUDGET",
"budget": 500
}')
C1=$(id_of campaign_id "$r")
check "seed call 1: CBO campaign created" [ -n "$C1" ]

r=$(seed smart_plus/campaign/create/ '{
"advertiser_id": "'$ADV'",
"campaign_name": "Q2 Web Conversions - AdGroup Budgets",
"objective_type": "WEB_CONVERSIONS",
"budget_optimize_on": false,
"budget_mode": "BUDGET_MODE_INFINITE"
}')
C2=$(id_of campaign_id "$r")
check "seed call 2: campaign with ad group budgets created" [ -n "$C2" ]

r=$(seed smart_plus/adgroup/create/ '{
"advertiser_id": "'$ADV'",
"campaign_id": "'$C1'",
"adgroup_name": "US Purchasers - Auto Targeting",
"promotion_type": "WEBSITE",
"optimization_goal": "CONVERT",
"pixel_id": "'$PIXEL'",
"optimization_event": "COMPLETE_PAYMENT",
"billing_event": "OCPM",
"bid_type": "BID_TYPE_NO_BID",
"schedule_type": "SCHEDULE_FROM_NOW",
"targeting_optimization_mode": "AUTOMATIC",
"targeting_spec": {
"location_ids": ["6252001"]
},
"placement_type": "PLACEMENT_TYPE_NORMAL",
"placements": ["PLACEMENT_TIKTOK"]
}')
G1=$(id_of adgroup_id "$r")
check "seed call 3: automatic ad group created" [ -n "$G1" ]

r=$(seed smart_plus/adgroup/create/ '{
"advertiser_id": "'$ADV'",
"campaign_id": "'$C2'",
"adgroup_name": "US 25-44 Purchasers - Manual",
"promotion_type": "WEBSITE",
"optimization_goal": "CONVERT",
"pixel_id": "'$PIXEL'",
"optimization_event": "COMPLETE_PAYMENT",
"billing_event": "OCPM",
"bid_type": "BID_TYPE_CUSTOM",
"conversion_bid_price": 15.00,
"budget_mode": "BUDGET_MODE_DYNAMIC_DAILY_BUDGET",
"budget": 200,
"schedule_type": "SCHEDULE_START_END",
"schedule_start_time": "2026-04-01 00:00:00",
"schedule_end_time": "2026-04-30 23:59:59",
"targeting_optimization_mode": "MANUAL",
"targeting_spec": {
"location_ids": ["6252001"],
"age_groups": ["AGE_25_34", "AGE_35_44"],
"gender": "GENDER_UNLIMITED",
"languages": ["en"]
},
"placement_type": "PLACEMENT_TYPE_NORMAL",
"placements": ["PLACEMENT_TIKTOK", "PLACEMENT_GLOBAL_APP_BUNDLE"]
}')
G2=$(id_of adgroup_id "$r")
check "seed call 4: manual Cost Cap ad group created" [ -n "$G2" ]

r=$(seed smart_plus/ad/create/ '{
"advertiser_id": "'$ADV'",
"adgroup_id": "'$G1'",
"ad_name": "Spring Sale Video Ad",
"creative_list": [
{
"creative_info": {
"ad_format": "SINGLE_VIDEO",
"video_info": {"video_id": "v1234567890"},
"image_info": [{"web_uri": "https://example.com/thumbnail.jpg"}],
"identity_type": "BC_AUTH_TT",
"identity_id": "IDENTITY_ID",
"identity_authorized_bc_id": "BC_ID"
}
}
],
"ad_text_list": [
{"ad_text": "Shop the spring collection"},
{"ad_text": "New arrivals — 20% off this week"}
],
"landing_page_url_list": [
{"landing_page_url": "https://www.example.com/spring-sale"}
],
"ad_configuration": {
"call_to_action_id": "CTA_ID"
}
}')
A1=$(id_of smart_plus_ad_id "$r")
check "seed call 5: video ad created" [ -n "$A1" ]

r=$(seed smart_plus/ad/create/ '{
"advertiser_id": "'$ADV'",
"adgroup_id": "'$G2'",
"ad_name": "Organic Post Spark Ad",
"creative_list": [
{
"creative_info": {
"ad_format": "SINGLE_VIDEO",
"tiktok_item_id": "TIKTOK_POST_ID",
"identity_type": "TT_USER",
"identity_id": "TIKTOK_IDENTITY_ID"
}
}
],
"ad_text_list": [
{"ad_text": "See what everyone is talking about"}
],
"landing_page_url_list": [
{"landing_page_url": "https://www.example.com/product"}
],
"ad_configuration": {
"call_to_action_list": ["Shop Now"]
}
}')
A2=$(id_of smart_plus_ad_id "$r")
check "seed call 6: Spark ad created" [ -n "$A2" ]
check "the ad answers in the live API's shape (smart_plus_ad_id, ad_material_id)" grep -q '"ad_material_id":"' <<<"$r"

# read back, update, pause, delete
r=$(curl -s -G "${BASE}smart_plus/ad/get/" -H "Access-Token: $TOKEN" \
  --data-urlencode "advertiser_id=$ADV" --data-urlencode "filtering={\"adgroup_ids\":[\"$G1\",\"$G2\"]}")
check "ad/get lists both ads" grep -q '"total_number":2' <<<"$r"
r=$(post smart_plus/adgroup/update/ "{\"advertiser_id\":\"$ADV\",\"adgroup_id\":\"$G2\",\"conversion_bid_price\":17.0}")
check "ad group bid updated" grep -q '"conversion_bid_price":17.0' <<<"$r"
r=$(post smart_plus/adgroup/status/update/ "{\"advertiser_id\":\"$ADV\",\"adgroup_ids\":[\"$G1\"],\"operation_status\":\"DISABLE\"}")
check "ad group paused" grep -q '"status":"DISABLE"' <<<"$r"
r=$(curl -s -G "${BASE}smart_plus/ad/get/" -H "Access-Token: $TOKEN" \
  --data-urlencode "advertiser_id=$ADV" --data-urlencode "filtering={\"smart_plus_ad_ids\":[\"$A1\"]}")
check "its ad shows the paused ad group" grep -q 'AD_STATUS_ADGROUP_DISABLE' <<<"$r"
r=$(post smart_plus/campaign/status/update/ "{\"advertiser_id\":\"$ADV\",\"campaign_ids\":[\"$C1\",\"$C2\"],\"operation_status\":\"DELETE\"}")
check "campaigns deleted" grep -q '"error_list":\[\]' <<<"$r"
r=$(curl -s "${BASE}smart_plus/ad/get/?advertiser_id=$ADV" -H "Access-Token: $TOKEN")
check "deleting the campaigns deleted their ads" grep -q '"total_number":0' <<<"$r"
stop_server
no_sanitizer_report() { ! grep -q 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error' "$TMP/server.err"; }
check "server exited cleanly (no sanitizer report)" no_sanitizer_report
