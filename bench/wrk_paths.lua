-- wrk script of the load benchmarks (bench/serving.py): each wrk thread walks its own share of the paths in
-- $WRK_PATHS (one per line), one path per request, in order, starting again at the end (and
-- counting how often it did); a response in which one of the
-- comma-separated headers of $WRK_CACHE_HEADER (X-Calls-Cache) says "hit" (or "stale": served from the cache while another request renews it)
-- counts as a cache hit. Every request carries the headers a TLS proxy in front of
-- gunicorn adds (X-Forwarded-Proto) and, when $WRK_COOKIE is set, that Cookie.
-- done() prints one line "RESULT {json}" with the latency percentiles in ms.

local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local nthreads = tonumber(os.getenv("WRK_THREADS"))
  local all = {}
  for line in io.lines(os.getenv("WRK_PATHS")) do
    table.insert(all, line)
  end
  -- a thread's share: every nthreads-th path; all of them when there are fewer than threads
  paths = {}
  for n, line in ipairs(all) do
    if #all < nthreads or (n - 1) % nthreads == tid then
      table.insert(paths, line)
    end
  end
  headers = {["Host"] = "127.0.0.1", ["X-Forwarded-Proto"] = "https"}
  local cookie = os.getenv("WRK_COOKIE") or ""
  if cookie ~= "" then
    headers["Cookie"] = cookie
  end
  cache_headers = {}
  for name in string.gmatch(os.getenv("WRK_CACHE_HEADER") or "X-Calls-Cache", "[^,]+") do
    table.insert(cache_headers, name)
  end
  i = 0
  wraps = 0
  hits = 0
  bad = 0
end

function request()
  i = i + 1
  if i > #paths then
    i = 1
    wraps = wraps + 1
  end
  return wrk.format("GET", paths[i], headers)
end

function response(status, headers, body)
  for _, name in ipairs(cache_headers) do
    if headers[name] == "hit" or headers[name] == "stale" then
      hits = hits + 1
    end
  end
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total_hits, total_wraps, total_bad = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_hits = total_hits + thread:get("hits")
    total_wraps = total_wraps + thread:get("wraps")
    total_bad = total_bad + thread:get("bad")
  end
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "median": %.2f, "p95": %.2f, "p99": %.2f, ' ..
    '"max": %.2f, "hits": %d, "wraps": %d, "non200": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    total_hits, total_wraps, total_bad,
    errors.connect + errors.read + errors.write + errors.timeout))
end
