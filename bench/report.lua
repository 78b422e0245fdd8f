-- wrk reporter: one JSON line with throughput, latency percentiles (ms) and errors.
local function env(name)
  local value = os.getenv(name)
  if value == "" then return nil end
  return value
end

local method, body, headers = env("BENCH_METHOD") or "GET", env("BENCH_BODY"), {}
headers["Authorization"] = "Bearer " .. (env("BENCH_TOKEN") or "")
if body then headers["Content-Type"] = "application/json" end

-- With BENCH_IDS (a file of inburgeraar ids), each request names another person: "__ID__" in the body
-- is replaced, so pushes spread over people as they do in the field.
local ids = {}
local ids_file = env("BENCH_IDS")
if ids_file then
  for line in io.lines(ids_file) do ids[#ids + 1] = line end
end

request = function()
  if body and #ids > 0 then
    local id = ids[math.random(#ids)]
    return wrk.format(method, nil, headers, (body:gsub("__ID__", id)))
  end
  return wrk.format(method, nil, headers, body)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d}\n',
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
