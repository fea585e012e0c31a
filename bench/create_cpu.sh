#!/bin/bash
# bench/create_cpu.sh KIND [SECONDS] - server CPU per create, for profiling
# the write path: KIND is campaign, adgroup or ad. Starts a release
# smartplusd on a fresh database, fills it (campaigns, then ad groups over
# them for adgroup/ad), drives KIND creates with wrk (64 connections) and
# prints req/s, p99 and the server's CPU time (utime + stime from /proc)
# divided by the requests: steadier than req/s on a shared machine.
# PERF=1 also records a profile (perf record, cpu-clock, dwarf stacks) into
# the temporary folder it names. Ads go, as in bench/api.sh, to the newest
# RING ad groups in turn (default 1,000): after the first lap each campaign
# has ads, and the Spark probe runs. RING=0: each ad to an ad group of its
# own (the bench's pattern before 7c407a3). BIN=path runs another build.
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:?usage: bench/create_cpu.sh campaign|adgroup|ad [SECONDS]}
DUR=${2:-5}
BIN=${BIN:-build/release/smartplusd}
[ -x "$BIN" ] || make --no-print-directory all >/dev/null
command -v wrk >/dev/null || { echo "create_cpu: needs wrk (apt-get install wrk)" >&2; exit 1; }
T=$(mktemp -d /tmp/smartplus-cpu-XXXXXX)
"$BIN" --port 0 --db "$T/b.db" --demo-token bench >"$T/sp.out" 2>"$T/sp.err" &
PID=$!
# the database is removed at exit (a run leaves ~200 MB); a profile is kept
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true
      if [ -n "${PERF:-}" ]; then rm -f "$T"/b.db*; else rm -rf "$T"; fi' EXIT
for _ in $(seq 100); do grep -q '^listen:' "$T/sp.out" && break; sleep 0.05; done
PORT=$(sed -n 's/^listen: .*:\([0-9]*\)$/\1/p' "$T/sp.out")
ADV=$(sed -n 's/^advertiser_id: //p' "$T/sp.out")
PIXEL=$(sed -n 's/^pixel_id: //p' "$T/sp.out")
B="http://127.0.0.1:$PORT/open_api/v1.3"

# lua FILE BODY_EXPR [NEWEST COUNT [RING]]: the wrk script that POSTs
# BODY_EXPR (bench/wrk_lua.sh)
. bench/wrk_lua.sh
lua() { wrk_post_lua "${@:2}" >"$1"; }
# cpu_run NAME PATH SCRIPT SECONDS: wrk, then CPU per request
cpu_run() {
  local c0 c1 n
  c0=$(awk '{print $14+$15}' /proc/$PID/stat)
  wrk -t1 -c64 -d"$4"s --latency -s "$3" "$B/$2" >"$T/$1.wrk"
  c1=$(awk '{print $14+$15}' /proc/$PID/stat)
  n=$(awk '/requests in/ {print $1}' "$T/$1.wrk")
  printf '%-9s %8.0f req/s  p99 %-8s  server CPU %d us per request\n' "$1" \
    "$(awk '/^Requests\/sec:/ {print $2}' "$T/$1.wrk")" \
    "$(awk '$1=="99%" {print $2}' "$T/$1.wrk")" $(( (c1 - c0) * 10000 / n ))
}
newest() { # newest PATH ID_FIELD -> "newest count"
  curl -s "$B/$1?advertiser_id=$ADV&page_size=1" -H 'Access-Token: bench' |
    sed -n "s/.*\"$2\":\"\([0-9]*\)\".*\"total_number\":\([0-9]*\).*/\1 \2/p"
}
perf_on() { [ -n "${PERF:-}" ] && { perf record -F 299 --call-graph dwarf,16384 -p $PID -o "$T/perf.data" -- sleep "$DUR" >/dev/null 2>&1 & echo "profile: $T/perf.data" >&2; } || true; }

lua "$T/c.lua" "'{\"advertiser_id\":\"$ADV\",\"campaign_name\":\"Q2\",\"objective_type\":\"WEB_CONVERSIONS\",\"budget_optimize_on\":true,\"budget_mode\":\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\",\"budget\":500}'"
[ "$KIND" = campaign ] && perf_on
cpu_run campaign smart_plus/campaign/create/ "$T/c.lua" "$DUR"
[ "$KIND" = campaign ] && exit 0
R=$(newest smart_plus/campaign/get/ campaign_id); NEW=${R% *}; N=${R#* }
[ -n "$R" ] || { echo "create_cpu: cannot list campaigns" >&2; exit 1; }
lua "$T/g.lua" "'{\"advertiser_id\":\"$ADV\",\"campaign_id\":\"' .. id .. '\",\"adgroup_name\":\"US\",\"promotion_type\":\"WEBSITE\",\"optimization_goal\":\"CONVERT\",\"pixel_id\":\"$PIXEL\",\"optimization_event\":\"COMPLETE_PAYMENT\",\"billing_event\":\"OCPM\",\"bid_type\":\"BID_TYPE_NO_BID\",\"schedule_type\":\"SCHEDULE_FROM_NOW\",\"targeting_optimization_mode\":\"AUTOMATIC\",\"targeting_spec\":{\"location_ids\":[\"6252001\"]},\"placement_type\":\"PLACEMENT_TYPE_NORMAL\",\"placements\":[\"PLACEMENT_TIKTOK\"]}'" "$NEW" "$N"
[ "$KIND" = adgroup ] && perf_on
# as long as the ad run, so that with RING=0 each ad goes to an ad group
# without one
cpu_run adgroup smart_plus/adgroup/create/ "$T/g.lua" "$DUR"
[ "$KIND" = adgroup ] && exit 0
R=$(newest smart_plus/adgroup/get/ adgroup_id); NEW=${R% *}; N=${R#* }
[ -n "$R" ] || { echo "create_cpu: cannot list ad groups" >&2; exit 1; }
CR=$(for k in 1 2 3 4 5 6 7 8 9 10; do printf '%s{"creative_info":{"ad_format":"SINGLE_VIDEO","video_info":{"video_id":"v%d"},"image_info":[{"web_uri":"https://cdn.example/t%d.jpg"}],"identity_type":"CUSTOMIZED_USER"}}' "$([ $k = 1 ] || echo ,)" $k $k; done)
TX='{"ad_text":"Shop the spring collection"},{"ad_text":"New arrivals this week"},{"ad_text":"Free shipping on every order"},{"ad_text":"Members save more today"},{"ad_text":"Find your new favourite"}'
lua "$T/a.lua" "'{\"advertiser_id\":\"$ADV\",\"adgroup_id\":\"' .. id .. '\",\"ad_name\":\"Spring Sale\",\"creative_list\":[$CR],\"ad_text_list\":[$TX],\"landing_page_url_list\":[{\"landing_page_url\":\"https://www.example.com/spring-sale\"}],\"call_to_action_list\":[{\"call_to_action\":\"SHOP_NOW\"}]}'" "$NEW" "$N" "${RING:-1000}"
perf_on
cpu_run ad smart_plus/ad/create/ "$T/a.lua" "$DUR"
