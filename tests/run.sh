#!/bin/bash
# tests/run.sh BUILD_DIR TEST... - run every unit test binary (each in its
# own process, with a timeout) and every black-box script, then print one
# closing line "N passed, N failed". Exits non-zero if anything failed.
set -u
dir=$1; shift
passed=0; failed=0; broken=""
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in "$@"; do
  out=$(timeout 300 "$dir/$t" 2>&1); rc=$?
  echo "$out"
  p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ $rc -ne 0 ] && [ "${f:-0}" = 0 ]; then
    failed=$((failed + 1)); broken="$broken $t(exit $rc)"
  fi
done
for s in tests/blackbox/*.sh; do
  out=$(timeout 600 bash "$s" "$dir" 2>&1); rc=$?
  echo "$out"
  p=$(echo "$out" | grep -c '^ok - ')
  f=$(echo "$out" | grep -c '^not ok - ')
  passed=$((passed + p)); failed=$((failed + f))
  if [ $rc -ne 0 ] && [ "$f" = 0 ]; then
    failed=$((failed + 1)); broken="$broken $s(exit $rc)"
  fi
done
[ -n "$broken" ] && echo "broken:$broken"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
