-- The case page's timeline: the changes to a case, without its views.
--
-- The page used to read the first 200 events of GET .../events and drop
-- the `viewed` ones in C.  Every whole-case read is a `viewed` event, so
-- a case read often had most of its first 200 events be views: its later
-- changes (a referral, the closing) were never shown, and the database
-- built the JSON of every view only for the page to throw it away (in
-- the bench the median live case had 11 events, 10 of them views; one
-- had 10,723).  This reads the latest p_limit changes, oldest first,
-- through the (case_id, action, seq) index that leaves views out, and
-- says whether there were earlier ones.  Same checks as
-- api_case_events, in the same order; the role's right to the events is
-- p_role_ok, as there.

CREATE FUNCTION api_page_case_timeline(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_limit integer)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
	v_items	jsonb;
	v_n	integer;
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
	-- One more than asked for: whether there are earlier changes.
	SELECT coalesce(jsonb_agg(case_event_json(e.ev) ORDER BY (e.ev).seq)
	    FILTER (WHERE e.rank <= p_limit), '[]'), count(*)
	INTO v_items, v_n
	FROM (SELECT ce AS ev, row_number() OVER (ORDER BY ce.seq DESC) AS rank
	      FROM case_events ce
	      WHERE ce.case_id = k.id AND ce.action <> 'viewed'
	      ORDER BY ce.seq DESC LIMIT p_limit + 1) e;
	RETURN NEXT api_ok(200, jsonb_build_object('items', v_items,
	    'earlier', v_n > p_limit));
END
$$;
