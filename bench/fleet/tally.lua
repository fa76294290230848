-- wrk script shared by bench/fleet.sh and bench/load-faults.sh: one kind of request, optionally
-- paced, with every response counted by status and by the replica that answered (X-Replica, set by
-- bench/LeakyService --Replica NAME; "-" when absent, e.g. a gateway's own 502/503).
--   WRK_METHOD   GET | POST (default GET)
--   WRK_PATH     request path (default /)
--   WRK_BODY     request body; sent as application/json when set
--   WRK_DELAY_MS pause before each request on a connection (pacing: rate ~ connections * 1000 / delay)
--   WRK_REPLICAS the replica names to report, space-separated (responses without X-Replica: "-")
-- done() prints machine-readable lines:
--   RESULT requests=N ok=N shed=N server_error=N other=N connect=N read=N write=N timeout=N p50_ms=X p99_ms=X max_ms=X
--   STATUS <code> <count>
--   REPLICA <name> total=N ok=N shed=N server_error=N other=N

local method = os.getenv("WRK_METHOD") or "GET"
local path = os.getenv("WRK_PATH") or "/"
local body = os.getenv("WRK_BODY")
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")

local replica_names = {}
for name in string.gmatch(os.getenv("WRK_REPLICAS") or "", "%S+") do
  table.insert(replica_names, name)
end
table.insert(replica_names, "-")
local kinds = { "total", "ok", "shed", "server_error", "other" }

-- Counters are flat numeric globals of each thread's Lua state ("s_<status>", "r_<replica>_<kind>"):
-- wrk's thread:get copies tables badly (a panic: "invalid key to 'next'"), numbers well.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local headers = {}
  if body ~= nil and body ~= "" then
    headers["Content-Type"] = "application/json"
  end
  request_text = wrk.format(method, path, headers, body)
end

function request()
  return request_text
end

if pause > 0 then
  function delay()
    return pause
  end
end

local function kind(status)
  if status >= 200 and status < 300 then return "ok" end
  if status == 429 then return "shed" end
  if status >= 500 then return "server_error" end
  return "other"
end

local function bump(key)
  _G[key] = (_G[key] or 0) + 1
end

function response(status, headers, body)
  bump("s_" .. status)
  local name = "-"
  for k, v in pairs(headers) do
    if string.lower(k) == "x-replica" then name = v end
  end
  bump("r_" .. name .. "_total")
  bump("r_" .. name .. "_" .. kind(status))
end

local function sum(key)
  local n = 0
  for _, thread in ipairs(threads) do
    n = n + (tonumber(thread:get(key)) or 0)
  end
  return n
end

function done(summary, latency, requests)
  local totals = { ok = 0, shed = 0, server_error = 0, other = 0 }
  local lines = {}
  for code = 100, 599 do
    local n = sum("s_" .. code)
    if n > 0 then
      totals[kind(code)] = totals[kind(code)] + n
      table.insert(lines, string.format("STATUS %d %d\n", code, n))
    end
  end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d ok=%d shed=%d server_error=%d other=%d connect=%d read=%d write=%d timeout=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, totals.ok, totals.shed, totals.server_error, totals.other,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  for _, line in ipairs(lines) do io.write(line) end
  for _, name in ipairs(replica_names) do
    local counts = {}
    for _, k in ipairs(kinds) do counts[k] = sum("r_" .. name .. "_" .. k) end
    io.write(string.format("REPLICA %s total=%d ok=%d shed=%d server_error=%d other=%d\n",
      name, counts.total, counts.ok, counts.shed, counts.server_error, counts.other))
  end
end
