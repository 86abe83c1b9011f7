-- wrk script: stop after a fixed number of requests per thread and print the results as JSON.
local max_requests = tonumber(os.getenv("BENCH_REQUESTS_PER_THREAD") or "100")
local counter = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
end

function response(status, headers, body)
  counter = counter + 1
  if status ~= 200 then
    wrk.thread:set("bad_status", (wrk.thread:get("bad_status") or 0) + 1)
  end
  if counter >= max_requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("bad_status") or 0)
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "errors": %d, "bad_status": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), errors, bad
  ))
end
