-- wrk: GET requests over many cases and users (bench/run.py).
--   wrk ... -s read.lua URL -- TARGETS.tsv MODE
-- TARGETS.tsv lines are "token<TAB>case id<TAB>nhs number".  MODE:
--   json      GET <path><id> with a bearer token (the case read)
--   page      GET <path><id> with the session cookie (the case page)
--   pagelist  GET <path> with the session cookie (the cases page)
--   fixed     GET <path> as is, with a bearer token (the overdue queue)
--   search    GET <path><nhs number>, bearer
--   national:TOKEN  GET <path> with that one token (the export)
-- With BENCH_PACE_MS in the environment each connection waits a random
-- time (exponential, that mean in milliseconds) before each request, so
-- that the connections offer a set rate instead of all they can.  wrk
-- starts a request's latency when it sends it, after the wait.
local counter = 0
function setup(thread)
	thread:set("tid", counter)
	counter = counter + 1
end

local rows = {}
local mode, fixed_token
function init(args)
	for line in io.lines(args[1]) do
		local tok, id, nhs = line:match("^([^\t]+)\t([^\t]+)\t([^\t]*)$")
		rows[#rows + 1] = { tok = tok, id = id, nhs = nhs }
	end
	mode = args[2]
	if mode:sub(1, 9) == "national:" then
		fixed_token = mode:sub(10)
		mode = "national"
	end
	math.randomseed(1000 + tid)
end

-- Defined only when paced: wrk waits between requests only if the script
-- has a delay(), and it looks when it loads the script, before init().
local pace_ms = tonumber(os.getenv("BENCH_PACE_MS") or "")
if pace_ms then
	function delay()
		return math.floor(-pace_ms * math.log(1 - math.random()))
	end
end

function request()
	local r = rows[math.random(#rows)]
	local path, h = wrk.path, {}
	if mode == "json" then
		path = wrk.path .. r.id
		h["Authorization"] = "Bearer " .. r.tok
	elseif mode == "page" then
		path = wrk.path .. r.id
		h["Cookie"] = "medex_session=" .. r.tok
	elseif mode == "pagelist" then
		h["Cookie"] = "medex_session=" .. r.tok
	elseif mode == "search" then
		path = wrk.path .. r.nhs
		h["Authorization"] = "Bearer " .. r.tok
	elseif mode == "national" then
		h["Authorization"] = "Bearer " .. fixed_token
	else
		h["Authorization"] = "Bearer " .. r.tok
	end
	return wrk.format("GET", path, h)
end
