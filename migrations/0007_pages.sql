-- Pages (issue 6): what the browser pages need beyond the API's calls.
--
-- * api_office_overview(): the lead medical examiner's office overview
--   (GET /office) in one call.
-- * api_case_list() gains p_awaiting ('bereaved': the liaison officers'
--   queue, exactly api_case_summary's awaiting_bereaved).  It is
--   dropped and created again with the new parameter last and defaulted,
--   so callers with the old sixteen arguments still work.
-- * api_page_case_write() and api_page_case_transition(): a page form's
--   hidden key as an idempotency key for every write, PUTs and
--   transitions included, so that a form sent twice records once and
--   the second answer is the first one again.

-- GET /office: counts by state, open and overdue, and per examiner the
-- open and overdue cases, for the lead ME's own office only (the RLS
-- policy holds too).  Examiners are the office's MEs and lead MEs that
-- are not disabled, and anyone else who still holds open cases.
CREATE FUNCTION api_office_overview(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v	jsonb;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role <> 'lead_medical_examiner' THEN
		PERFORM security_log('forbidden', c.username, c.office_code,
		    NULL, p_address);
		RETURN NEXT api_error(403, 'forbidden',
		    'Only a lead medical examiner may see the office overview.');
		RETURN;
	END IF;
	WITH k AS (
		SELECT k.state, k.examiner_id, NOT case_is_final(k.state)
		    AS open, case_overdue(k.state, k.deadline) AS overdue
		FROM cases k WHERE k.office_id = c.office_id
	), e AS (
		SELECT u.username, u.display_name, u.role, u.disabled,
		    count(k.state) AS open,
		    count(*) FILTER (WHERE k.overdue) AS overdue
		FROM users u
		LEFT JOIN k ON k.examiner_id = u.id AND k.open
		WHERE u.office_id = c.office_id
		  AND ((u.role IN ('medical_examiner', 'lead_medical_examiner')
		  AND NOT u.disabled) OR k.state IS NOT NULL)
		GROUP BY u.id
	)
	SELECT jsonb_build_object(
	    'display_name', c.display_name,
	    'office', c.office_code,
	    'office_name', (SELECT name FROM offices WHERE id = c.office_id),
	    'states', (SELECT jsonb_agg(jsonb_build_object('state', s.state,
	        'count', (SELECT count(*) FROM k WHERE k.state = s.state))
	        ORDER BY s.ord)
	        FROM unnest(ARRAY['notified', 'in_scrutiny',
	        'referred_to_coroner', 'coroner_investigating',
	        'awaiting_mccd', 'mccd_issued', 'closed', 'withdrawn'])
	        WITH ORDINALITY AS s(state, ord)),
	    'open', (SELECT count(*) FROM k WHERE k.open),
	    'overdue', (SELECT count(*) FROM k WHERE k.overdue),
	    'unassigned', (SELECT count(*) FROM k
	        WHERE k.open AND k.examiner_id IS NULL),
	    'unassigned_overdue', (SELECT count(*) FROM k
	        WHERE k.overdue AND k.examiner_id IS NULL),
	    'examiners', (SELECT coalesce(jsonb_agg(jsonb_build_object(
	        'username', e.username, 'display_name', e.display_name,
	        'role', e.role, 'disabled', e.disabled, 'open', e.open,
	        'overdue', e.overdue)
	        ORDER BY e.overdue DESC, e.open DESC, e.username), '[]')
	        FROM e))
	INTO v;
	RETURN NEXT api_ok(200, v);
END
$$;

DROP FUNCTION api_case_list(text, text, text, text, text, text, integer,
    text, text, text, text, boolean, boolean, boolean, text, text);

-- As in 0004_cases.sql, plus p_awaiting.
CREATE FUNCTION api_case_list(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_limit integer,
    p_after text, p_state text, p_examiner text, p_officer text,
    p_unassigned boolean, p_overdue boolean, p_priority boolean,
    p_q text, p_sort text, p_awaiting text DEFAULT NULL)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v_where	text := 'k.office_id = $1';
	v_order	text;
	v_key	text;
	v_q	text;
	v_like	text;
	a_u	boolean;
	a_d	timestamptz;
	a_id	bigint;
	v_items	jsonb;
	v_last	text;
	v_n	integer;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role NOT IN ('officer', 'medical_examiner',
	    'lead_medical_examiner', 'liaison_officer') THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not read cases.');
		RETURN;
	END IF;
	IF p_state IS NOT NULL THEN
		v_where := v_where || ' AND k.state = $2';
	END IF;
	IF p_examiner IS NOT NULL THEN
		v_where := v_where || ' AND k.examiner_id = (SELECT id FROM '
		    'users WHERE username = $3 AND office_id = $1)';
	END IF;
	IF p_officer IS NOT NULL THEN
		v_where := v_where || ' AND k.officer_id = (SELECT id FROM '
		    'users WHERE username = $4 AND office_id = $1)';
	END IF;
	IF p_unassigned THEN
		v_where := v_where || ' AND k.examiner_id IS NULL'
		    ' AND NOT case_is_final(k.state)';
	END IF;
	IF p_overdue THEN
		v_where := v_where || ' AND k.state IN (''notified'', '
		    '''in_scrutiny'') AND k.deadline < now()';
	END IF;
	IF p_priority THEN
		v_where := v_where || ' AND k.urgent';
	END IF;
	IF p_awaiting IS NOT NULL AND p_awaiting <> 'bereaved' THEN
		RETURN NEXT api_error(400, 'bad_request',
		    'awaiting must be bereaved.');
		RETURN;
	END IF;
	-- api_case_summary's awaiting_bereaved: in scrutiny, nobody reached
	-- and the attempts not documented as exhausted.
	IF p_awaiting = 'bereaved' THEN
		v_where := v_where || ' AND k.state = ''in_scrutiny'''
		    ' AND NOT EXISTS (SELECT 1 FROM contacts t'
		    '  WHERE t.case_id = k.id AND t.outcome = ''reached'')'
		    ' AND NOT EXISTS (SELECT 1 FROM contact_exhaustions x'
		    '  WHERE x.case_id = k.id)';
	END IF;
	IF p_q IS NOT NULL THEN
		v_q := replace(p_q, ' ', '');
		IF v_q ~ '^[0-9]{10}$' THEN
			v_where := v_where || ' AND k.nhs_number = $5';
		ELSE
			v_q := lower(btrim(p_q));
			v_q := replace(replace(replace(v_q, '\', '\\'), '%',
			    '\%'), '_', '\_') || '%';
			v_where := v_where || ' AND (lower(k.family_name) LIKE $5'
			    ' OR lower(k.given_name) LIKE $5'
			    ' OR lower(k.given_name || '' '' || k.family_name) LIKE $5)';
		END IF;
		PERFORM security_log('case_search', c.username, c.office_code,
		    NULL, p_address, jsonb_build_object('q', p_q));
	END IF;
	BEGIN
		IF p_after IS NOT NULL THEN
			a_u := split_part(p_after, '|', 1)::boolean;
			a_d := nullif(split_part(p_after, '|', 2), '')::timestamptz;
			a_id := split_part(p_after, '|', 3)::bigint;
		END IF;
	EXCEPTION WHEN OTHERS THEN
		RETURN NEXT api_error(400, 'bad_request',
		    'cursor must be one given by a previous page.');
		RETURN;
	END;
	IF p_sort = 'oldest' THEN
		v_order := 'k.id';
		IF p_after IS NOT NULL THEN
			v_where := v_where || ' AND k.id > $8';
		END IF;
	ELSIF p_sort = 'urgency' THEN
		v_order := 'NOT k.urgent, k.deadline, k.id';
		IF p_after IS NOT NULL THEN
			v_where := v_where || ' AND (NOT k.urgent, k.deadline, k.id)'
			    ' > ($6, $7, $8)';
		END IF;
	ELSE
		v_order := 'k.id DESC';
		IF p_after IS NOT NULL THEN
			v_where := v_where || ' AND k.id < $8';
		END IF;
	END IF;
	EXECUTE 'SELECT coalesce(jsonb_agg(jsonb_build_object('
	    '''id'', k.id::text, ''state'', k.state, ''version'', k.version,'
	    '''given_name'', k.given_name, ''family_name'', k.family_name,'
	    '''nhs_number'', k.nhs_number, ''date_of_birth'', k.date_of_birth,'
	    '''sex'', k.sex, ''date_of_death'', k.date_of_death,'
	    '''place_of_death'', k.place_of_death,'
	    '''examiner'', e.username, ''officer'', f.username,'
	    '''priority'', jsonb_build_object(''child'', k.prio_child,'
	    '  ''faith'', k.prio_faith, ''cultural'', k.prio_cultural,'
	    '  ''coroner'', k.prio_coroner, ''other'', k.prio_other,'
	    '  ''detail'', k.prio_detail),'
	    '''urgent_release'', jsonb_build_object(''requested'','
	    '  k.urgent_requested, ''reason'', k.urgent_reason,'
	    '  ''outcome'', k.urgent_outcome),'
	    '''notified_at'', rfc3339(k.notified_at),'
	    '''deadline'', rfc3339(k.deadline),'
	    '''overdue'', case_overdue(k.state, k.deadline),'
	    '''created_at'', rfc3339(k.created_at),'
	    '''updated_at'', rfc3339(k.updated_at)) ORDER BY k.rn), ''[]''),'
	    ' (array_agg(k.cur ORDER BY k.rn DESC))[1], count(*)'
	    ' FROM (SELECT k.*, row_number() OVER () AS rn,'
	    '   (NOT k.urgent)::text || ''|'' || to_char(k.deadline AT TIME ZONE'
	    '   ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.US"Z"'') || ''|'' || k.id AS cur'
	    '   FROM (SELECT * FROM cases k WHERE ' || v_where
	    || '   ORDER BY ' || v_order || ' LIMIT $9) k) k'
	    ' LEFT JOIN users e ON e.id = k.examiner_id'
	    ' LEFT JOIN users f ON f.id = k.officer_id'
	INTO v_items, v_last, v_n
	USING c.office_id, p_state, p_examiner, p_officer, v_q, a_u, a_d,
	    a_id, p_limit;
	RETURN NEXT api_ok(200, jsonb_build_object('items', v_items,
	    'next_cursor', CASE WHEN v_n = p_limit THEN
	    encode(convert_to(v_last, 'UTF8'), 'hex') END));
END
$$;

-- A page's form write (POST /cases/{id}/<action>): api_case_write()
-- behind the form's key.  The key is replayed before anything else, so
-- that a form sent twice answers the first answer again (a redirect to
-- the case) rather than a version conflict; api_case_write() itself
-- gets no key, as this saves the answer for every kind.
CREATE FUNCTION api_page_case_write(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_kind text, p_if_match integer, p_idem text,
    p_hash text, p_invalid jsonb, p_data jsonb)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	r	api_result;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	r := idem_replay(c.user_id, p_idem, p_hash);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	SELECT * INTO r FROM api_case_write(p_jti, p_sub, p_role, p_office,
	    p_csrf, p_address, p_id, p_role_ok, p_kind, p_if_match, NULL,
	    NULL, p_invalid, p_data);
	RETURN NEXT idem_save(c.user_id, p_idem, p_hash, r);
END
$$;

-- A page's transition form: api_case_transition() behind the form's key.
CREATE FUNCTION api_page_case_transition(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_if_match integer, p_invalid jsonb, p_to text,
    p_rules jsonb, p_msgs jsonb, p_reason text, p_independent boolean,
    p_mccd date, p_idem text, p_hash text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	r	api_result;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	r := idem_replay(c.user_id, p_idem, p_hash);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	SELECT * INTO r FROM api_case_transition(p_jti, p_sub, p_role,
	    p_office, p_csrf, p_address, p_id, p_role_ok, p_if_match,
	    p_invalid, p_to, p_rules, p_msgs, p_reason, p_independent, p_mccd);
	RETURN NEXT idem_save(c.user_id, p_idem, p_hash, r);
END
$$;
