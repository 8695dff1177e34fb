-- wrk: POST /api/v1/cases/{id}/transitions over many cases, each taken
-- round mccd_issued -> in_scrutiny -> awaiting_mccd -> mccd_issued
-- (whose guards the generated records meet), with If-Match the version
-- the last answer gave.  A case is never sent twice at once: wrk does
-- not say which request an answer belongs to, so the answer's own "id",
-- "version" and "state" (first in jsonb's key order) free the case.
--   wrk ... -s transition.lua URL -- CYCLE.tsv
-- CYCLE.tsv lines are "token<TAB>id<TAB>version<TAB>state"; each of
-- wrk's threads takes every n-th line, so no two threads share a case.
local counter = 0
local threads = {}
function setup(thread)
	thread:set("tid", counter)
	counter = counter + 1
	threads[#threads + 1] = thread
end

local cases, byid, pos = {}, {}, 0
local nthreads = 2
local next_of = { mccd_issued = "in_scrutiny",
    in_scrutiny = "awaiting_mccd", awaiting_mccd = "mccd_issued" }
function init(args)
	local i = 0
	for line in io.lines(args[1]) do
		local tok, id, v, st = line:match(
		    "^([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)$")
		if i % nthreads == tid then
			local c = { tok = tok, id = id, v = tonumber(v), st = st }
			cases[#cases + 1] = c
			byid[id] = c
		end
		i = i + 1
	end
end

function request()
	local c
	for _ = 1, #cases do
		pos = pos % #cases + 1
		if not cases[pos].busy then
			c = cases[pos]
			break
		end
	end
	if c == nil then
		c = cases[pos]	-- all busy: more connections than cases
	end
	c.busy = true
	local to = next_of[c.st] or "in_scrutiny"
	local body
	if to == "in_scrutiny" then
		body = '{"to": "in_scrutiny", "reason": "New information"}'
	elseif to == "mccd_issued" then
		body = '{"to": "mccd_issued", "mccd_issued_on": "' ..
		    os.date("!%Y-%m-%d") .. '"}'
	else
		body = '{"to": "awaiting_mccd"}'
	end
	return wrk.format("POST", wrk.path .. c.id .. "/transitions", {
	    ["Authorization"] = "Bearer " .. c.tok,
	    ["Content-Type"] = "application/json",
	    ["If-Match"] = '"' .. c.v .. '"' }, body)
end

function response(status, headers, body)
	local id = body:match('^{"id": "(%d+)"')
	local c = id and byid[id]
	if c then
		c.v = tonumber(body:match('"version": (%d+)')) or c.v
		c.st = body:match('"state": "([a-z_]+)"') or c.st
		c.busy = false
	end
end
