# tests/blackbox/robustness.sh - a real smartplusd over a real socket: the
# seeds' create request, bad input of every kind, 10 MB bodies, and the
# server still serving afterwards.
. "$(dirname "$0")/lib.sh"
start_server

r=$(post smart_plus/campaign/create/ "{\"advertiser_id\":\"$ADV\",\"campaign_name\":\"Q2 Web Conversions - CBO\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_optimize_on\":true,\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\",\"budget\":500}")
check "seed campaign create answers code 0" grep -q '"code":0,"message":"OK"' <<<"$r"

r=$(post smart_plus/campaign/create/ '{"advertiser_id": "1", ')
check "malformed JSON names the byte offset" grep -q 'invalid JSON at byte' <<<"$r"

r=$(post smart_plus/campaign/create/ "{\"advertiser_id\":\"$ADV\",\"advertiser_id\":\"$ADV\"}")
check "duplicate keys refused" grep -q 'duplicate object key' <<<"$r"

r=$(post smart_plus/campaign/create/ "{\"advertiser_id\":\"$ADV\",\"campaign_name\":[1],\"objective_type\":\"WEB_CONVERSIONS\"}")
check "wrong type names the field" grep -q 'campaign_name: expected a string' <<<"$r"

head -c 10485760 /dev/zero | tr '\0' 'a' >"$TMP/big"
code=$(curl -s -o "$TMP/big.out" -w '%{http_code}' -X POST "${BASE}smart_plus/campaign/create/" \
  -H "Access-Token: $TOKEN" -H 'Content-Type: application/json' --data-binary @"$TMP/big")
check "10 MB body refused with 413" [ "$code" = 413 ]
check "10 MB body refusal is an envelope" grep -q '"code":40000' "$TMP/big.out"

code=$(head -c 10485760 /dev/zero | curl -s -o "$TMP/chunk.out" -w '%{http_code}' -X POST \
  "${BASE}smart_plus/campaign/create/" -H "Access-Token: $TOKEN" \
  -H 'Transfer-Encoding: chunked' --data-binary @-)
check "10 MB chunked body refused with 413" [ "$code" = 413 ]

code=$(curl -s -o "$TMP/nf.out" -w '%{http_code}' "${BASE}no/such/path/")
check "unknown path is 404 with an envelope" [ "$code" = 404 ]
check "unknown path envelope" grep -q '"code":40400' "$TMP/nf.out"
code=$(curl -s -o "$TMP/m.out" -w '%{http_code}' -X DELETE "${BASE}smart_plus/campaign/get/" -H "Access-Token: $TOKEN")
check "wrong method is 405" [ "$code" = 405 ]

r=$(curl -s "${BASE}smart_plus/campaign/get/?advertiser_id=$ADV")
check "missing token is 40104" grep -q '"code":40104' <<<"$r"

long=$(head -c 40000 /dev/zero | tr '\0' 'a')
r=$(curl -s "${BASE}smart_plus/campaign/get/?advertiser_id=$ADV&filtering=$long" -H "Access-Token: $TOKEN")
check "a 40 KB query string gets an envelope naming the parameter" grep -q '"code":40002,"message":"filtering: is not valid JSON' <<<"$r"

# binary garbage
r=$(head -c 4096 /dev/urandom | curl -s -X POST "${BASE}smart_plus/campaign/create/" \
  -H "Access-Token: $TOKEN" --data-binary @-)
check "binary garbage gets an envelope" grep -q '"code":40000' <<<"$r"

r=$(curl -s "${BASE}smart_plus/campaign/get/?advertiser_id=$ADV" -H "Access-Token: $TOKEN")
check "server still serves after bad input" grep -q '"total_number":1' <<<"$r"

stop_server
no_sanitizer_report() { ! grep -q 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error' "$TMP/server.err"; }
check "server exited cleanly (no sanitizer report)" no_sanitizer_report
