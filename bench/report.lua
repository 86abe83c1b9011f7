-- wrk script: stop each thread after a fixed number of requests (wrk's -d is the time limit) and print
-- the results as one line of JSON. wrk's own duration is always -d, so each thread times itself from
-- its first request to its last response (LuaJIT ffi), and the driver computes throughput from that.
local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_usec; } bench_timeval;
  int gettimeofday(bench_timeval *tv, void *tz);
]]
local tv = ffi.new("bench_timeval")
local function now_us()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000000 + tonumber(tv.tv_usec)
end

local max_requests = tonumber(os.getenv("BENCH_REQUESTS_PER_THREAD") or "100")
local threads = {}

local done_dir = os.getenv("BENCH_DONE_DIR")

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  counter = 0
  bad_status = 0
  first_us = 0
  last_us = 0
end

function request()
  if first_us == 0 then
    first_us = now_us()
  end
  return wrk.format()
end

function response(status, headers, body)
  counter = counter + 1
  last_us = now_us()
  if status ~= 200 then
    bad_status = bad_status + 1
  end
  if counter == max_requests then
    -- Tell the driver this thread is done: wrk itself would wait out the whole -d.
    if done_dir then
      local marker = io.open(done_dir .. "/" .. id, "w")
      if marker then
        marker:close()
      end
    end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local bad, counted, elapsed = 0, 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("bad_status")
    counted = counted + thread:get("counter")
    local span = thread:get("last_us") - thread:get("first_us")
    if span > elapsed then
      elapsed = span
    end
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "responses": %d, "elapsed_us": %d, "p50_us": %d, "p95_us": %d, "errors": %d, "bad_status": %d}\n',
    summary.requests, counted, elapsed, latency:percentile(50), latency:percentile(95), errors, bad
  ))
end
