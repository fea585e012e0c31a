# tests/blackbox/events_durability.sh - conversion events survive kill -9:
# four writers stream Events API batches, the server is killed mid-stream,
# restarted (the journal is replayed), and every batch is sent again.
# Every acknowledged event must be there after the restart, and after the
# replay each distinct event is counted exactly once (the copies merged).
# The journal is checkpointed every ~300 kB here, so kills also land during
# or between checkpoints (tmp file + rename) and replay starts from one.
. "$(dirname "$0")/lib.sh"
export SMARTPLUS_EVENTS_CHECKPOINT_BYTES=300000
start_server
CODE=$(sed -n 's/^pixel_code: //p' "$TMP/server.out")
PER=100

batch() { # batch WRITER I -> request body with PER events
  local now k sep=""
  now=$(date +%s)
  printf '{"event_source":"web","event_source_id":"%s","data":[' "$CODE"
  for k in $(seq 1 $PER); do
    printf '%s{"event":"Purchase","event_time":%s,"event_id":"w%s-b%s-e%s","properties":{"value":%s,"currency":"USD"}}' \
      "$sep" "$now" "$1" "$2" "$k" "$k"
    sep=,
  done
  printf ']}'
}
writer() {
  for i in $(seq 1 100000); do
    echo "$i" >"$TMP/tried.$1"
    r=$(batch "$1" "$i" | curl -s -m 5 -X POST "${BASE}event/track/" -H "Access-Token: $TOKEN" --data-binary @-) || break
    grep -q '"code":0,' <<<"$r" && grep -q "\"events_accepted\":$PER" <<<"$r" && echo "$i" >>"$TMP/acked.$1"
  done
}
pids=""
for w in 1 2 3 4; do : >"$TMP/acked.$w"; writer $w & pids="$pids $!"; done
sleep 3
kill -9 "$PID"
wait "$PID" 2>/dev/null
PID=
wait $pids 2>/dev/null
acked=$(cat "$TMP"/acked.* | wc -l)
check "batches were acknowledged before the kill ($acked x $PER events)" [ "$acked" -gt 4 ]

stats() { # -> "received kept merged" for Purchase
  curl -s "${BASE}pixel/event/stats/?advertiser_id=$ADV&pixel_ids=%5B%22$PIXEL%22%5D&date_range=%7B%22start_date%22:%222000-01-01%22,%22end_date%22:%222100-12-31%22%7D" \
    -H "Access-Token: $TOKEN" |
    sed -n 's/.*"event":"Purchase","received":{[^}]*"total":\([0-9]*\)},"kept":\([0-9]*\),"merged":\([0-9]*\).*/\1 \2 \3/p'
}
start_server
read -r rec kept merged <<<"$(stats)"
check "after restart every acknowledged event is there (kept $kept >= $((acked * PER)))" \
  [ "${kept:-0}" -ge $((acked * PER)) ]
check "nothing counted twice by the replay (kept $kept, merged $merged)" [ "${merged:-1}" = 0 ]
grep -h 'torn tail' "$TMP/server.err" | sed 's/^/# /'

# send every batch any writer tried again
sent=0
for w in 1 2 3 4; do
  last=$(cat "$TMP/tried.$w" 2>/dev/null || echo 0)
  for i in $(seq 1 "$last"); do
    batch "$w" "$i" | curl -s -m 10 -X POST "${BASE}event/track/" -H "Access-Token: $TOKEN" --data-binary @- >/dev/null
    sent=$((sent + 1))
  done
done
read -r rec2 kept2 merged2 <<<"$(stats)"
check "after replaying $sent batches each event is stored once (kept $kept2 = $((sent * PER)))" \
  [ "${kept2:-0}" = $((sent * PER)) ]
check "the replayed copies were merged (merged $merged2 = received $rec2 - kept $kept2)" \
  [ "${merged2:-0}" = $((rec2 - kept2)) ]
check "the journal was checkpointed (starts with a checkpoint record)" \
  [ "$(od -An -tu1 -j33 -N1 "$DB.events" | tr -d ' ')" = 1 ]
# and once more across a clean restart
stop_server
start_server
read -r rec3 kept3 merged3 <<<"$(stats)"
check "a clean restart rebuilds the same counters ($rec3 $kept3 $merged3)" \
  [ "$rec3 $kept3 $merged3" = "$rec2 $kept2 $merged2" ]
