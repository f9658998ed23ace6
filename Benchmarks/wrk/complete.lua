-- wrk: durable step completions, each request on its own case (POST /api/cases/{id}/complete of
-- step 1 of the LAPOR SOP as the LAPOR!-SP4N user). Shared by Benchmarks/serve.sh and
-- Benchmarks/scale.sh.
--   wrk … -s Benchmarks/wrk/complete.lua URL -- TOKEN FIRST THREADS [IDS]
-- TOKEN is the bearer token; thread t of THREADS completes case FIRST+t, FIRST+t+THREADS, …,
-- named case-%06d, or, with IDS (a file of case ids, one a line), the ids on those lines.
local n = 0
function setup(thread)
  thread:set("tid", n)
  n = n + 1
end

local token, first, threads, ids, counter = nil, 1, 1, nil, 0
function init(args)
  token, first, threads = args[1], tonumber(args[2]), tonumber(args[3])
  if args[4] then
    ids = {}
    for line in io.lines(args[4]) do ids[#ids + 1] = line end
  end
end

request = function()
  local i = first + tid + counter * threads
  counter = counter + 1
  local id = ids and ids[i] or string.format("case-%06d", i)
  if id == nil then id = "no-more-cases" end
  return wrk.format("POST", "/api/cases/" .. id .. "/complete",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"},
    '{"step":"1","documents":["Laporan masyarakat"]}')
end
