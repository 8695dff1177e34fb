-- The office audit view of the lead ME (GET /api/v1/audit, the /audit
-- page): the office's case trail (case_events) and security log
-- (security_events) as one list, newest first.
--
-- Which security events are the office's: those logged with the
-- office's code, and those logged without an office (a failed or
-- throttled sign-in names only the username typed) whose actor is a
-- user of the office today.  A sign-in attempt for a username nobody
-- has belongs to no office and is not shown.
--
-- Each item's kind: a case event's action (viewed, created, transition,
-- ...), or the security log's action with two plain names: case_search
-- is "search", and forbidden, token_refused and csrf_refused are
-- "refused".  The stored action stays in "action".

CREATE OR REPLACE FUNCTION audit_kind(p_action text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
	WHEN p_action = 'case_search' THEN 'search'
	WHEN p_action IN ('forbidden', 'token_refused', 'csrf_refused')
	    THEN 'refused'
	ELSE p_action END
$$;

-- p_filter: {"case"?, "user"?, "kind"?, "q"?, "from"?, "to"?}, each a
-- string checked in C (api_audit.c); from and to are London dates,
-- both days included.  The cursor is "<microseconds>|<source>|<id>" of
-- the last item of the page before.
CREATE OR REPLACE FUNCTION api_audit(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_limit integer,
    p_after text, p_filter jsonb)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v_case	bigint;
	v_user	text;
	v_kind	text;
	v_q	text;
	v_from	timestamptz;
	v_to	timestamptz;
	a_us	bigint;
	a_src	text;
	a_id	bigint;
	v_items	jsonb;
	v_n	integer;
	v_last	text;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role <> 'lead_medical_examiner' THEN
		PERFORM security_log('forbidden', c.username, c.office_code,
		    NULL, p_address);
		RETURN NEXT api_error(403, 'forbidden',
		    'Only a lead medical examiner may read the office''s audit.');
		RETURN;
	END IF;
	BEGIN
		v_case := (p_filter->>'case')::bigint;
		v_user := lower(p_filter->>'user');
		v_kind := p_filter->>'kind';
		v_q := lower(p_filter->>'q');
		v_from := ((p_filter->>'from')::date)::timestamp
		    AT TIME ZONE 'Europe/London';
		v_to := ((p_filter->>'to')::date + 1)::timestamp
		    AT TIME ZONE 'Europe/London';
	EXCEPTION WHEN OTHERS THEN
		RETURN NEXT api_error(400, 'bad_request',
		    'case, from and to must be an id and dates (YYYY-MM-DD).');
		RETURN;
	END;
	IF v_from IS NOT NULL AND v_to IS NOT NULL AND v_from >= v_to THEN
		RETURN NEXT api_error(400, 'bad_request',
		    'from must not be after to.');
		RETURN;
	END IF;
	BEGIN
		IF p_after IS NOT NULL THEN
			a_us := split_part(p_after, '|', 1)::bigint;
			a_src := split_part(p_after, '|', 2);
			a_id := split_part(p_after, '|', 3)::bigint;
			IF a_src NOT IN ('case', 'security') THEN
				RAISE EXCEPTION 'cursor';
			END IF;
		END IF;
	EXCEPTION WHEN OTHERS THEN
		RETURN NEXT api_error(400, 'bad_request',
		    'cursor must be one given by a previous page.');
		RETURN;
	END;

	WITH page AS (
	SELECT x.src, x.id,
	    (extract(epoch FROM x.at) * 1000000)::bigint AS us,
	    jsonb_build_object('id', left(x.src, 1) || x.id,
	    'at', rfc3339(x.at), 'source', x.src, 'kind', x.kind,
	    'action', x.action, 'actor', x.actor,
	    'actor_display_name', u.display_name,
	    'case_id', x.case_id::text, 'detail', x.detail) AS item
	FROM (
		SELECT 'case'::text AS src, e.id, e.at, e.action AS kind,
		    e.action, e.actor, e.case_id, e.changes AS detail
		FROM case_events e
		WHERE e.office_id = c.office_id
		  AND (v_case IS NULL OR e.case_id = v_case)
		  AND (v_user IS NULL OR e.actor = v_user)
		  AND (v_kind IS NULL OR e.action = v_kind)
		  AND v_q IS NULL
		  AND (v_from IS NULL OR e.at >= v_from)
		  AND (v_to IS NULL OR e.at < v_to)
		UNION ALL
		SELECT 'security', s.id, s.at, audit_kind(s.action),
		    s.action, s.actor, NULL::bigint,
		    s.detail || CASE WHEN s.target IS NULL THEN '{}'::jsonb
		    ELSE jsonb_build_object('target', s.target) END
		FROM security_events s
		WHERE (s.office = c.office_code
		    OR (s.office IS NULL AND EXISTS (SELECT 1 FROM users w
		        WHERE w.username = s.actor
		          AND w.office_id = c.office_id)))
		  AND v_case IS NULL
		  AND (v_user IS NULL OR s.actor = v_user)
		  AND (v_kind IS NULL OR audit_kind(s.action) = v_kind)
		  AND (v_q IS NULL OR (s.action = 'case_search'
		      AND strpos(lower(s.detail->>'q'), v_q) > 0))
		  AND (v_from IS NULL OR s.at >= v_from)
		  AND (v_to IS NULL OR s.at < v_to)
	) x
	LEFT JOIN users u ON u.username = x.actor
	WHERE p_after IS NULL
	   OR ((extract(epoch FROM x.at) * 1000000)::bigint, x.src, x.id)
	      < (a_us, a_src, a_id)
	ORDER BY 3 DESC, 1 DESC, 2 DESC
	LIMIT p_limit)
	SELECT coalesce(jsonb_agg(item ORDER BY us DESC, src DESC, id DESC),
	    '[]'), count(*),
	    (array_agg(us || '|' || src || '|' || id
	    ORDER BY us, src, id))[1]
	INTO v_items, v_n, v_last FROM page;
	RETURN NEXT api_ok(200, jsonb_build_object('items', v_items,
	    'next_cursor', CASE WHEN v_n = p_limit THEN
	    encode(convert_to(v_last, 'UTF8'), 'hex') END));
END
$$;
