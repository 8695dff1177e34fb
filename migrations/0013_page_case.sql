-- The case page in one call: who is signed in, the case, its timeline.
--
-- The page used to run three API functions in one statement (api_me,
-- api_case_get and 0012's api_page_case_timeline), and each checked the
-- token again; two of them locked the case again; api_me read the user
-- again, though auth_check had just read it.  pgbench at one client on
-- the 10k bench: 1.36 ms for those three against 0.82 ms for the JSON
-- read alone.  This does the checks once, in api_case_get's order, and
-- records the same `viewed` event the JSON read does (with the same
-- unflushed commit, 0008).
--
-- The answer: {"me": {username, display_name, role, office},
-- "case": case_json as api_case_get gives it, "timeline": {"items",
-- "earlier"} as 0012 gives it, or null when the role may not read the
-- events (p_events_ok, from the route table like p_role_ok)}.
--
-- api_page_case_timeline stays: a server of the previous release may
-- still call it while two instances are upgraded one after the other.

CREATE FUNCTION case_timeline_json(p_case_id bigint, p_limit integer)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_items	jsonb;
	v_n	integer;
BEGIN
	-- The latest p_limit changes, oldest first, through the index that
	-- leaves views out; one more than asked for says there are earlier.
	SELECT coalesce(jsonb_agg(case_event_json(e.ev) ORDER BY (e.ev).seq)
	    FILTER (WHERE e.rank <= p_limit), '[]'), count(*)
	INTO v_items, v_n
	FROM (SELECT ce AS ev, row_number() OVER (ORDER BY ce.seq DESC) AS rank
	      FROM case_events ce
	      WHERE ce.case_id = p_case_id AND ce.action <> 'viewed'
	      ORDER BY ce.seq DESC LIMIT p_limit + 1) e;
	RETURN jsonb_build_object('items', v_items, 'earlier', v_n > p_limit);
END
$$;

CREATE FUNCTION api_page_case(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_events_ok boolean, p_limit integer)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
	v_timeline	jsonb;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	k := case_lock(p_id);
	r := case_check(c, k, p_role_ok, false, NULL, NULL);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	PERFORM set_config('synchronous_commit', 'off', true);
	PERFORM case_event_add(k.id, c, 'viewed', '{}');
	IF p_events_ok THEN
		v_timeline := case_timeline_json(k.id, p_limit);
	END IF;
	RETURN NEXT api_ok(200, jsonb_build_object(
	    'me', jsonb_build_object('username', c.username,
		'display_name', c.display_name, 'role', c.role,
		'office', c.office_code),
	    'case', case_json(k.id, c.role <> 'liaison_officer'),
	    'timeline', v_timeline), k.version);
END
$$;
