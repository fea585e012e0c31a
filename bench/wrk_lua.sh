# bench/wrk_lua.sh - sourced by bench/api.sh and bench/create_cpu.sh.
#
# wrk_post_lua BODY_EXPR [NEWEST COUNT [RING]]: prints a wrk script that
# POSTs the Lua string expression BODY_EXPR with the bench token.
#   - BODY_EXPR alone: one fixed body (it costs wrk no Lua per request).
#   - With NEWEST COUNT: the Lua variable `id` walks down
#     [NEWEST - COUNT + 1, NEWEST], one id per request.
#   - With RING (not 0): only the newest RING ids (or COUNT, if fewer), in
#     turn. Their requests are made once, in init, so that a request costs
#     wrk no Lua: building a 2.4 KB ad request per request was 3-4 us of
#     wrk's CPU, on the cores the server needs.
wrk_post_lua() {
  cat <<LUA
wrk.method = "POST"
wrk.headers["Access-Token"] = "bench"
wrk.headers["Content-Type"] = "application/json"
LUA
  if [ $# -ge 4 ] && [ "$4" -gt 0 ]; then
    cat <<LUA
local reqs, n, i = {}, math.min($3, $4), 0
init = function(args)
  for k = 0, n - 1 do
    local id = string.format("%d", $2 - k)
    reqs[k + 1] = wrk.format(nil, nil, nil, $1)
  end
end
request = function()
  i = i + 1
  return reqs[i % n + 1]
end
LUA
  elif [ $# -ge 3 ]; then
    cat <<LUA
local i = 0
request = function()
  i = i + 1
  local id = string.format("%d", $2 - (i % $3))
  return wrk.format(nil, nil, nil, $1)
end
LUA
  else
    echo "wrk.body = $1"
  fi
}
