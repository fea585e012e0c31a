#!/usr/bin/env bash
# sim.sh - delivery simulator benchmark (issue 6): one simulated day of 20
# advertisers x 30 ad groups over 1,000,000 users (bench/sim_bench.c has
# the world). Builds the release library (make's -O2 flags) and the bench,
# runs it with SIM_THREADS threads (default 2) and, unless SIM_ONE=0, once
# more on 1 thread to show the reports are byte-identical (same hash).
# Prints candidate evaluations/s per core, simulated days per wall second
# and peak RSS per user, each with its ratio to the issue's target, and a
# same-run baseline (random user-record reads). SIM_USERS, SIM_SEED change
# the size and seed. The machine is shared: figures are as measured.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s build/release/libsmartplus.a
flags=$(make -s -p -n build/release/libsmartplus.a 2>/dev/null | sed -n 's/^REL_CFLAGS := //p' | head -1)
libs=$(make -s -p -n build/release/libsmartplus.a 2>/dev/null | sed -n 's/^LDLIBS := //p' | head -1)
# shellcheck disable=SC2086 # word lists
cc $flags -Isrc bench/sim_bench.c build/release/libsmartplus.a -o "$tmp/sim_bench" $libs
users=${SIM_USERS:-1000000}
seed=${SIM_SEED:-42}
threads=${SIM_THREADS:-2}
echo "== $threads thread(s)"
timeout 300 "$tmp/sim_bench" "$users" "$threads" "$seed" | tee "$tmp/a"
if [ "${SIM_ONE:-1}" != 0 ] && [ "$threads" != 1 ]; then
  echo "== 1 thread (determinism check)"
  timeout 300 "$tmp/sim_bench" "$users" 1 "$seed" | tee "$tmp/b"
  ha=$(sed -n 's/.*hash \([0-9a-f]*\)$/\1/p' "$tmp/a"); hb=$(sed -n 's/.*hash \([0-9a-f]*\)$/\1/p' "$tmp/b")
  if [ "$ha" = "$hb" ]; then echo "determinism: report hash $ha identical on $threads and 1 thread(s)"
  else echo "determinism: FAIL: $ha ($threads threads) != $hb (1 thread)"; exit 1; fi
fi
