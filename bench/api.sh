#!/bin/bash
# bench/api.sh - HTTP throughput of smartplusd against nginx, on loopback,
# in the same run. wrk drives 64 connections for DURATION seconds (default
# 10) at: GET smart_plus/campaign/get, POST smart_plus/campaign/create,
# POST smart_plus/adgroup/create, POST smart_plus/ad/create (10 creatives,
# 5 texts), and
# nginx answering a fixed JSON of similar size (1 worker). Prints req/s,
# p99 and the ratio to nginx. Targets (issue 2): GET >= 0.5x nginx, create
# >= 0.25x nginx, p99 < 10 ms.
#
# nginx runs before the first endpoint and after each one; an endpoint's
# ratio is to the mean of the nginx runs just before and just after it.
# The machine's speed moves within minutes (nginx measured 82-83k req/s at
# the start of a run and 69-71k at its end, after 40 s of load): a single
# reference taken at the start held the later endpoints to a faster machine
# than the one they ran on. (The server is idle meanwhile: 0-2% of a core.)
# The column "x first" keeps the old reading: the ratio to the first nginx
# run alone; the verdict is on "x nginx".
#
#   bench/api.sh [DURATION]       (needs wrk and nginx: apt-get install wrk nginx-light)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-${DURATION:-10}}
CONNS=64
THREADS=${WRK_THREADS:-1}
BIN=build/release/smartplusd

need=""
command -v wrk >/dev/null || need="$need wrk"
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need="$need nginx-light"
if [ -n "$need" ]; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q $need >/dev/null
  else echo "bench: install:$need" >&2; exit 1; fi
fi
[ -x $BIN ] || make --no-print-directory all >/dev/null
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

TMP=$(mktemp -d /tmp/smartplus-bench-XXXXXX)
SP_PID=; NG_PID=
cleanup() {
  [ -n "$SP_PID" ] && kill "$SP_PID" 2>/dev/null || true
  [ -n "$NG_PID" ] && kill "$NG_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# ---- smartplusd ----
$BIN --port 0 --db "$TMP/bench.db" --demo-token bench >"$TMP/sp.out" 2>"$TMP/sp.err" &
SP_PID=$!
for _ in $(seq 100); do grep -q '^listen:' "$TMP/sp.out" && break; sleep 0.05; done
SP_PORT=$(sed -n 's/^listen: .*:\([0-9]*\)$/\1/p' "$TMP/sp.out")
ADV=$(sed -n 's/^advertiser_id: //p' "$TMP/sp.out")
BASE="http://127.0.0.1:$SP_PORT/open_api/v1.3"

# a realistic advertiser: 100 campaigns, GET reads the first page of 10
for i in $(seq 100); do
  curl -s -X POST "$BASE/smart_plus/campaign/create/" -H 'Access-Token: bench' \
    -d "{\"advertiser_id\":\"$ADV\",\"campaign_name\":\"seed $i\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\",\"budget\":500}" >/dev/null
done
GET_PATH="/open_api/v1.3/smart_plus/campaign/get/?advertiser_id=$ADV"
curl -s "http://127.0.0.1:$SP_PORT$GET_PATH" -H 'Access-Token: bench' >"$TMP/get.json"
GET_BYTES=$(wc -c <"$TMP/get.json")
grep -q '"code":0' "$TMP/get.json" || { echo "bench: GET failed: $(head -c 300 "$TMP/get.json")"; exit 1; }

cat >"$TMP/get.lua" <<LUA
wrk.headers["Access-Token"] = "bench"
LUA
# post_lua FILE LUA_BODY_EXPR [NEWEST COUNT [RING]]: wrk scripts POSTing
# the body (bench/wrk_lua.sh says how the arguments choose the requests).
# FILE is for the timed run and has no response hook: handing every answer
# (3 KB for an ad) to Lua cost wrk the CPU that the server needs on 2
# cores. FILE.check counts the answers whose code is not 0, in a short run
# before the timed one (create_run).
. bench/wrk_lua.sh
post_lua() {
  wrk_post_lua "${@:2}" >"$1"
  cat "$1" - >"$1.check" <<'LUA'
local errors = 0
response = function(status, headers, body)
  if not string.find(body, '"code":0', 1, true) then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("non-zero codes: %d\n", errors))
end
LUA
}
post_lua "$TMP/create.lua" "'{\"advertiser_id\":\"$ADV\",\"campaign_name\":\"Q2 Web Conversions - CBO\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_optimize_on\":true,\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\",\"budget\":500}'"

# ---- nginx: a fixed JSON body of the GET's size ----
head -c "$GET_BYTES" "$TMP/get.json" >"$TMP/fixed.json"
# below the kernel's ephemeral range (32768+), where wrk's and curl's own
# client ports could already hold the number
NG_PORT=$((20000 + $$ % 10000))
while (exec 3<>/dev/tcp/127.0.0.1/$NG_PORT) 2>/dev/null; do NG_PORT=$((NG_PORT + 1)); done
mkdir -p "$TMP/ng"
cat >"$TMP/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $TMP/ng/nginx.pid;
error_log $TMP/ng/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $TMP/ng; proxy_temp_path $TMP/ng;
  fastcgi_temp_path $TMP/ng; uwsgi_temp_path $TMP/ng; scgi_temp_path $TMP/ng;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NG_PORT;
    location / { default_type application/json; alias $TMP/fixed.json; }
  }
}
CONF
"$NGINX" -c "$TMP/nginx.conf" -p "$TMP/ng" &
NG_PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$NG_PORT/x" && break; sleep 0.05; done

run() { # run NAME URL [SCRIPT] -> "rps p99_ms"
  local out
  out=$(wrk -t"$THREADS" -c$CONNS -d"${DUR}s" --latency ${3:+-s "$3"} "$2" 2>&1)
  echo "$out" >"$TMP/$1.wrk"
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<<"$out")
  echo "$rps $p99"
}

# ng: one nginx run, its req/s appended to NG (and p99 to NG_P99S)
NG=(); NG_P99S=()
ng() {
  local r p
  # the server's writes reach the disk first (0.01-0.1 s): none of its
  # write-back runs beside nginx to slow the reference down
  sync
  read -r r p < <(run nginx "http://127.0.0.1:$NG_PORT/fixed.json")
  NG+=("$r"); NG_P99S+=("$p")
}
ng
read -r GET_RPS GET_P99 < <(run get "http://127.0.0.1:$SP_PORT$GET_PATH" "$TMP/get.lua")
ng

# The newest id and how many objects of a kind exist: ids are handed out in
# sequence, so [newest - count + 1, newest] are the ones the bench made.
range_of() { # range_of PATH ID_FIELD -> "newest count"
  curl -s "$BASE/$1?advertiser_id=$ADV&page_size=1" -H 'Access-Token: bench' \
    | sed -n "s/.*\"$2\":\"\([0-9]*\)\".*\"total_number\":\([0-9]*\).*/\1 \2/p"
}

# create_run NAME PATH SCRIPT LIST_PATH ID_FIELD -> "rps p99 errors created
# answered": a 1 s run of SCRIPT.check counts answers with a non-zero code;
# then the timed run, and the objects it made (total_number before and
# after) against the answers wrk counted: every answered create must have
# made one (requests still in flight when wrk stops may add a few).
create_run() {
  local err before after rps p99 answered
  wrk -t1 -c8 -d1s -s "$3.check" "$BASE/$2" >"$TMP/$1.check" 2>&1
  err=$(sed -n 's/^non-zero codes: //p' "$TMP/$1.check")
  before=$(range_of "$4" "$5"); before=${before#* }
  read -r rps p99 < <(run "$1" "$BASE/$2" "$3")
  after=$(range_of "$4" "$5"); after=${after#* }
  answered=$(awk '/requests in/ {print $1}' "$TMP/$1.wrk")
  echo "$rps $p99 ${err:-?} $((after - before)) ${answered:-0}"
}

read -r CR_RPS CR_P99 CR_ERR CR_MADE CR_N < <(create_run create smart_plus/campaign/create/ "$TMP/create.lua" smart_plus/campaign/get/ campaign_id)
ng

# ad group create: the seeds' automatic ad group, spread over the campaigns
# just created (an Upgraded Smart+ campaign holds at most 30 ad groups)
R=$(range_of smart_plus/campaign/get/ campaign_id)
C_NEW=${R% *}; C_N=${R#* }
[ -n "$R" ] || { echo "bench: cannot list the campaigns" >&2; exit 1; }
PIXEL=$(sed -n 's/^pixel_id: //p' "$TMP/sp.out")
post_lua "$TMP/adgroup.lua" "'{\"advertiser_id\":\"$ADV\",\"campaign_id\":\"' .. id .. '\",\"adgroup_name\":\"US Purchasers - Auto Targeting\",\"promotion_type\":\"WEBSITE\",\"optimization_goal\":\"CONVERT\",\"pixel_id\":\"$PIXEL\",\"optimization_event\":\"COMPLETE_PAYMENT\",\"billing_event\":\"OCPM\",\"bid_type\":\"BID_TYPE_NO_BID\",\"schedule_type\":\"SCHEDULE_FROM_NOW\",\"targeting_optimization_mode\":\"AUTOMATIC\",\"targeting_spec\":{\"location_ids\":[\"6252001\"]},\"placement_type\":\"PLACEMENT_TYPE_NORMAL\",\"placements\":[\"PLACEMENT_TIKTOK\"]}'" "$C_NEW" "$C_N"
read -r AG_RPS AG_P99 AG_ERR AG_MADE AG_N < <(create_run adgroup smart_plus/adgroup/create/ "$TMP/adgroup.lua" smart_plus/adgroup/get/ adgroup_id)
ng

# ad create: 10 video creatives and 5 texts, over the newest 1,000 of those
# ad groups in turn (each in its own campaign). The first lap finds every
# campaign without ads; the later ones, with ads of the same kind (the Spark
# probe, rules/ad.h), as a client adding ads to live campaigns would. Each
# ad to an ad group of its own, as before, saw only the first lap.
R=$(range_of smart_plus/adgroup/get/ adgroup_id)
G_NEW=${R% *}; G_N=${R#* }
[ -n "$R" ] || { echo "bench: cannot list the ad groups" >&2; exit 1; }
CREATIVES=$(for k in 1 2 3 4 5 6 7 8 9 10; do printf '%s{"creative_info":{"ad_format":"SINGLE_VIDEO","video_info":{"video_id":"v%d"},"image_info":[{"web_uri":"https://cdn.example/t%d.jpg"}],"identity_type":"CUSTOMIZED_USER"}}' "$([ $k = 1 ] || echo ,)" $k $k; done)
TEXTS='{"ad_text":"Shop the spring collection"},{"ad_text":"New arrivals this week"},{"ad_text":"Free shipping on every order"},{"ad_text":"Members save more today"},{"ad_text":"Find your new favourite"}'
post_lua "$TMP/ad.lua" "'{\"advertiser_id\":\"$ADV\",\"adgroup_id\":\"' .. id .. '\",\"ad_name\":\"Spring Sale\",\"creative_list\":[$CREATIVES],\"ad_text_list\":[$TEXTS],\"landing_page_url_list\":[{\"landing_page_url\":\"https://www.example.com/spring-sale\"}],\"call_to_action_list\":[{\"call_to_action\":\"SHOP_NOW\"}]}'" "$G_NEW" "$G_N" 1000
read -r AD_RPS AD_P99 AD_ERR AD_MADE AD_N < <(create_run ad smart_plus/ad/create/ "$TMP/ad.lua" smart_plus/ad/get/ smart_plus_ad_id)
ng

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# verdict RPS TARGET_RATIO P99: on the exact ratio, not the printed one
# ref K: the mean of the nginx runs before and after endpoint K (0..3)
ref() { awk -v a="${NG[$1]}" -v b="${NG[$(($1 + 1))]}" 'BEGIN { printf "%.0f", (a + b) / 2 }'; }
# verdict RPS TARGET_RATIO P99 REF: on the exact ratio, not the printed one
verdict() { awk -v a="$1" -v b="$4" -v t="$2" -v p="$3" 'BEGIN { print (a / b >= t && p < 10) ? "meets target" : "BELOW target" }'; }
# created ERRORS MADE ANSWERED: a create's run is only valid if none failed
created() {
  if [ "$1" = 0 ] && [ "$2" -ge "$3" ]; then echo "ok"; else echo "FAILED"; fi
}
echo "smartplus API benchmark: wrk -t$THREADS -c$CONNS -d${DUR}s on 127.0.0.1, $(nproc) cores"
printf "nginx fixed JSON (%s B), run before, between and after the endpoints: %s req/s (p99 %s ms)\n" \
  "$GET_BYTES" "$(printf '%.0f ' "${NG[@]}" | sed 's/ $//; s/ / \/ /g')" "$(printf '%s ' "${NG_P99S[@]}" | sed 's/ $//; s/ / \/ /g')"
printf "%-28s %12s %10s %12s %10s %9s  %s\n" "endpoint" "req/s" "p99 ms" "nginx ref" "x nginx" "x first" ""
row() { # row K NAME RPS P99 TARGET
  local r; r=$(ref "$1")
  printf "%-28s %12.0f %10.2f %12s %10s %9s  %s (target %.2fx, p99 < 10 ms)\n" "$2" "$3" "$4" "$r" "$(ratio "$3" "$r")" "$(ratio "$3" "${NG[0]}")" "$(verdict "$3" "$5" "$4" "$r")" "$5"
}
row 0 "GET campaign/get (page 10)" "$GET_RPS" "$GET_P99" 0.5
row 1 "POST campaign/create" "$CR_RPS" "$CR_P99" 0.25
row 2 "POST adgroup/create" "$AG_RPS" "$AG_P99" 0.25
row 3 "POST ad/create (10 cr, 5 tx)" "$AD_RPS" "$AD_P99" 0.25
echo "check runs (1 s), answers with a non-zero code: campaign $CR_ERR, ad group $AG_ERR, ad $AD_ERR"
echo "timed runs, objects made / creates answered: campaign $CR_MADE/$CR_N, ad group $AG_MADE/$AG_N, ad $AD_MADE/$AD_N"
for k in "campaign $CR_ERR $CR_MADE $CR_N" "adgroup $AG_ERR $AG_MADE $AG_N" "ad $AD_ERR $AD_MADE $AD_N"; do
  set -- $k
  [ "$(created "$2" "$3" "$4")" = ok ] || { echo "bench: $1 create answered errors: the figures above do not count" >&2; exit 1; }
done
