#!/usr/bin/env bash
# events.sh - benchmark of the conversion-event dedup index vs Redis SET NX EX.
# The HTTP-ingestion part of the benchmark comes with the Events API endpoint.
# Loopback only; every step is bounded by `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rpid=""
cleanup() { if [ -n "$rpid" ]; then kill "$rpid" 2>/dev/null || true; wait "$rpid" 2>/dev/null || true; fi; rm -rf "$tmp"; }
trap cleanup EXIT

gcc -std=c11 -D_GNU_SOURCE -O2 -Isrc bench/dedup_bench.c src/events/dedup.c -o "$tmp/dedup_bench" -lxxhash

if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    timeout 300 apt-get install -y -q redis-server redis-tools >/dev/null
  else
    echo "redis-server/redis-benchmark missing and not root" >&2; exit 1
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
dedup_rate=$(echo "$bout" | awk -F': ' '/checks\/s/{print $2}')
bpk=$(echo "$bout" | awk -F': ' '/bytes per live key/{print $2}')

echo "redis SET NX EX (pipelined 64) /s: $redis_rate"
echo "dedup checks/s: $dedup_rate"
awk -v a="$dedup_rate" -v b="$redis_rate" 'BEGIN{printf "ratio in-process dedup / redis SET NX: %.1f x (target >= 10x)\n", a/b}'
echo "dedup bytes per live key: $bpk (target <= 64)"
awk -v m="$rmem" -v k="$rkeys" 'BEGIN{printf "redis used_memory per key: %.1f (%d keys, %d bytes)\n", m/k, k, m}'
