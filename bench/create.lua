-- wrk: POST /api/v1/cases, a new notification each time, from the
-- users of TARGETS.tsv, with an NHS number from the 999 test range
-- (valid check digit), a death today or in the two days before, and a
-- date of birth drawn from 80 years: one person's details over and over
-- made every new case a possible duplicate of the hundreds before it,
-- which measured the duplicate warning's search, not a notification.
--   wrk ... -s create.lua URL -- TARGETS.tsv
local counter = 0
function setup(thread)
	thread:set("tid", counter)
	counter = counter + 1
end

local toks = {}
function init(args)
	local seen = {}
	for line in io.lines(args[1]) do
		local tok = line:match("^([^\t]+)")
		if not seen[tok] then
			seen[tok] = true
			toks[#toks + 1] = tok
		end
	end
	-- A new seed each run: the warm-up must not use up the measured
	-- run's NHS numbers (a second open case for one is a 409).
	math.randomseed(os.time() * 16 + tid)
end

local function nhs()
	while true do
		local b = 999000000 + math.random(0, 999998)
		local s, x = 0, b
		for w = 2, 10 do
			s = s + (x % 10) * w
			x = math.floor(x / 10)
		end
		local c = (11 - s % 11) % 11
		if c ~= 10 then
			return string.format("%d%d", b, c)
		end
	end
end

function request()
	local dod = os.date("!%Y-%m-%d", os.time() - 86400 * math.random(0, 2))
	local dob = os.date("!%Y-%m-%d", os.time() - 86400 *
	    math.random(365 * 20, 365 * 100))
	local body = string.format('{"given_name": "Bench", ' ..
	    '"family_name": "Created", "nhs_number": "%s", ' ..
	    '"date_of_birth": "%s", "sex": "female", ' ..
	    '"date_of_death": "%s", "place_of_death": "hospital", ' ..
	    '"place_detail": "Ward 7", "attending_practitioner": ' ..
	    '{"name": "Dr A. Morgan", "gmc_number": "7654321"}}', nhs(), dob,
	    dod)
	return wrk.format("POST", nil, {
	    ["Authorization"] = "Bearer " .. toks[math.random(#toks)],
	    ["Content-Type"] = "application/json" }, body)
end
