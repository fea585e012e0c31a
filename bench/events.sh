#!/usr/bin/env bash
# events.sh - conversion-events benchmark, three parts in one run:
#  1. Redis `SET key NX EX 172800` with redis-benchmark, pipelined (-P 64):
#     the reference rate;
#  2. the in-process dedup index (bench/dedup_bench.c, 20% duplicates):
#     checks/s and bytes per live key;
#  3. HTTP ingestion: smartplusd (release build, journal on disk with
#     fsync'd group commit) fed by wrk (8 keep-alive connections on
#     EVENTS_WRK_THREADS threads, default 2) with batches of 1000 events
#     (the Events API maximum), 20% duplicates, for EVENTS_SECONDS
#     (default 10) seconds. The wrk Lua script is generated below.
# Prints the ratios against the targets. Loopback only; every step is
# bounded by `timeout`. The machine is shared: the figures are as measured
# under whatever else runs.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rpid=""
spid=""
cleanup() {
  for p in $rpid $spid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

gcc -std=c11 -D_GNU_SOURCE -O2 -Isrc bench/dedup_bench.c src/events/dedup.c -o "$tmp/dedup_bench" -lxxhash
make -s all >/dev/null

need=""
command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null || need="$need redis-server redis-tools"
command -v wrk >/dev/null || need="$need wrk"
if [ -n "$need" ]; then
  if [ "$(id -u)" = 0 ]; then
    # shellcheck disable=SC2086 # $need is a word list
    timeout 300 apt-get install -y -q $need >/dev/null
  else
    echo "bench: install:$need (not root)" >&2; exit 1
  fi
fi

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >"$tmp/redis.log" 2>&1 &
rpid=$!
for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

rout=$(timeout 300 redis-benchmark -h 127.0.0.1 -p "$port" -P 64 -n 2000000 -r 100000000 -q SET key:__rand_int__ v NX EX 172800 | tr '\r' '\n' | grep -E 'requests per second' | tail -1)
redis_rate=$(echo "$rout" | grep -oE '[0-9]+(\.[0-9]+)?' | head -2 | tail -1)
rkeys=$(redis-cli -h 127.0.0.1 -p "$port" dbsize)
rmem=$(redis-cli -h 127.0.0.1 -p "$port" info memory | tr -d '\r' | awk -F: '$1=="used_memory"{print $2}')

bout=$(timeout 300 "$tmp/dedup_bench" 2>/dev/null)
echo "$bout"
dedup_one=$(echo "$bout" | awk -F': ' '/checks\/s \(one at a time\)/{print $2}')
dedup_rate=$(echo "$bout" | awk -F': ' '/^dedup checks\/s:/{print $2}')
bpk=$(echo "$bout" | awk -F': ' '/bytes per live key/{print $2}')

echo "redis SET NX EX (pipelined 64) /s: $redis_rate"
echo "dedup checks/s (pipelined 64 per call): $dedup_rate; one at a time: $dedup_one"
awk -v a="$dedup_rate" -v b="$redis_rate" 'BEGIN{printf "ratio in-process dedup (pipelined) / redis SET NX (pipelined): %.1f x (target >= 10x)\n", a/b}'
awk -v a="$dedup_one" -v b="$redis_rate" 'BEGIN{printf "ratio in-process dedup (one at a time) / redis SET NX (pipelined): %.1f x\n", a/b}'
awk -v a="$dedup_rate" 'BEGIN{printf "ratio in-process dedup (pipelined) / 500000 (Redis on a quiet machine): %.1f x\n", a/500000}'
echo "dedup bytes per live key: $bpk (target <= 64)"
awk -v m="$rmem" -v k="$rkeys" 'BEGIN{printf "redis used_memory per key: %.1f (%d keys, %d bytes)\n", m/k, k, m}'

# ---- HTTP ingestion -------------------------------------------------------
kill "$rpid" 2>/dev/null || true; wait "$rpid" 2>/dev/null || true; rpid=""
./build/release/smartplusd --port 0 --db "$tmp/bench.db" --demo-token bench-token >"$tmp/server.out" 2>"$tmp/server.err" &
spid=$!
for _ in $(seq 100); do grep -q '^listen:' "$tmp/server.out" 2>/dev/null && break; sleep 0.1; done
sport=$(sed -n 's/^listen: .*://p' "$tmp/server.out")
code=$(sed -n 's/^pixel_code: //p' "$tmp/server.out")
adv=$(sed -n 's/^advertiser_id: //p' "$tmp/server.out")
secs=${EVENTS_SECONDS:-10}
wthreads=${EVENTS_WRK_THREADS:-2}
# The wrk script. The 1000-event body is built once per Lua state as a
# template split at its batch-number fields: event k < 200 carries id
# b<prev>-e<k+200>, a duplicate of an event of the previous batch (the
# server must merge it), the 800 others b<cur>-e<k>, new ones. Each request
# takes the next batch number of its thread, writes it (and the previous
# one) into those fields and concatenates the pieces behind a request head
# made once by wrk.format (the Content-Length is fixed: 9-digit numbers).
# Thread k (set in setup()) numbers its batches k*10^8 + 1, 2, ..., so the
# numbers are unique across threads and "previous" is the previous request
# of the same thread. Answers whose envelope code is not 0/20001 are
# counted, the first ones printed on stderr.
case $wthreads in [1-8]) ;; *) echo "EVENTS_WRK_THREADS: 1 to 8" >&2; exit 1 ;; esac
cat >"$tmp/events.lua" <<LUA
local batch, dup_pct = 1000, 20
local ndup = math.floor(batch * dup_pct / 100)
wrk.method = "POST"
wrk.path = "/open_api/v1.3/event/track/"
wrk.headers["Access-Token"] = "bench-token"
wrk.headers["Content-Type"] = "application/json"

-- pieces: text, field, text, field, ..., text; cur/prev: indices of the
-- fields holding this batch's number / the previous batch's
local pieces, cur, prev = {}, {}, {}
local et = os.time()
local text = '{"event_source":"web","event_source_id":"$code","data":['
for k = 0, batch - 1 do
  local dup = k < ndup
  pieces[#pieces + 1] = text .. string.format(
    '%s{"event":"CompletePayment","event_time":%d,"event_id":"b', k > 0 and "," or "", et)
  pieces[#pieces + 1] = "000000000"
  if dup then prev[#prev + 1] = #pieces else cur[#cur + 1] = #pieces end
  text = string.format('-e%04d","user":{"ttp":"tt%05d"},"properties":{"currency":"USD","value":%d.5}}',
                       dup and k + ndup or k, k, k % 97)
end
pieces[#pieces + 1] = text .. "]}"

local threads, nthreads = {}, 0
function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
  threads[nthreads] = thread
end

function init(args)
  local body = table.concat(pieces)
  local req = wrk.format(nil, nil, nil, body)
  pieces[1] = req:sub(1, #req - #body) .. pieces[1]
end

local n = 0
function request()
  n = n + 1
  local b = tid * 100000000 + n
  local c, p = string.format("%09d", b), string.format("%09d", b - 1)
  for i = 1, #cur do pieces[cur[i]] = c end
  for i = 1, #prev do pieces[prev[i]] = p end
  return table.concat(pieces)
end

bad = 0
function response(status, headers, body)
  local c = body:match('^{"code":(%d+),')
  if c ~= "0" and c ~= "20001" then
    bad = bad + 1
    if bad <= 3 then
      io.stderr:write(string.format("refused (HTTP %d): %s\n", status, body:sub(1, 300)))
    end
  end
end

function done(summary, latency, requests)
  local refused = 0
  for _, t in ipairs(threads) do refused = refused + t:get("bad") end
  local el = summary.duration / 1e6
  local ok = summary.requests - refused
  io.write(string.format("events sent and acknowledged: %d\n", ok * batch))
  io.write(string.format("http events/s: %.0f\n", ok * batch / el))
  io.write(string.format("batches: %d ok, %d refused, %.1f s, batch %d, duplicates %d%%\n",
                         ok, refused, el, batch, dup_pct))
  local e = summary.errors
  if e.connect + e.read + e.write + e.timeout > 0 then
    io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
                           e.connect, e.read, e.write, e.timeout))
  end
end
LUA
# wrk's own report (latency etc.) is kept in $tmp/events.wrk; the lines
# printed are the done() ones.
timeout $((secs + 30)) wrk -t"$wthreads" -c8 -d"${secs}s" --timeout 30s -s "$tmp/events.lua" \
  "http://127.0.0.1:$sport/open_api/v1.3/event/track/" >"$tmp/events.wrk"
hout=$(sed -n '/^events sent and acknowledged:/,$p' "$tmp/events.wrk")
echo "$hout"
http_rate=$(echo "$hout" | awk -F': ' '/http events\/s/{print $2}')
sev=$(curl -s "http://127.0.0.1:$sport/sandbox/events/?advertiser_id=$adv&limit=0" -H "Access-Token: bench-token")
echo "server counters: $(echo "$sev" | grep -o '"received":{[^}]*},"kept":[0-9]*,"merged":[0-9]*')"
slive=$(echo "$sev" | sed -n 's/.*"live_keys":\([0-9]*\).*/\1/p')
sbytes=$(echo "$sev" | sed -n 's/.*"dedup":{"live_keys":[0-9]*,"bytes":\([0-9]*\).*/\1/p')
echo "journal: $(stat -c %s "$tmp/bench.db.events") bytes"
awk -v a="$http_rate" 'BEGIN{printf "ratio HTTP ingestion / target 200000 events/s: %.2f x (batches of 1000, fsync group commit)\n", a/200000}'
awk -v b="$sbytes" -v k="$slive" 'BEGIN{if (k>0) printf "server dedup bytes per live key: %.1f (%d keys; target <= 64)\n", b/k, k}'
