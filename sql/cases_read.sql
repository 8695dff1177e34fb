-- Reading cases: one case, its trail and notes, the list, the summary
-- and the reference data.

-- GET /api/v1/cases/{id}: the whole case, and a `viewed` event.
--
-- Reading a whole case records a `viewed` event (API.md).  The read
-- takes no lock on the case: it records the view in case_views
-- (sql/case_views.sql), and case_views_chain() appends the event to the
-- case's chain a moment later.  The transaction commits with the
-- ordinary, flushed commit, so a view is kept before the case is sent.
-- (Until issue 21 the read locked the case, appended the event itself
-- and committed unflushed: 0008.)
CREATE OR REPLACE FUNCTION api_case_get(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	k := case_find(p_id);
	r := case_check(c, k, p_role_ok, false, NULL, NULL);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	PERFORM case_view_add(c, k, 'viewed');
	RETURN NEXT api_ok(200, case_json(k.id, c.role <> 'liaison_officer'),
	    k.version);
END
$$;

-- Several case reads in one statement (app/http/db_batch.c): a worker
-- whose reads queue for a connection sends the waiting ones together,
-- element i of each array being the i-th read's parameter, and gets a
-- row (i, then api_case_get's) for each.  Each read is api_case_get's
-- own, with its own checks and its own recorded view; what they share
-- is one transaction, so one commit and one flush of the WAL serve them
-- all before any is answered (a read's view is durable before it is
-- sent, as for one read alone).  A read alone commits, inserts and
-- flushes for one view: at 8 connections pgbench of the read answered
-- 1,967-1,989 calls a second, and 3,254-3,441 with no view recorded
-- (issue 21, docs/benchmark.md).
--
-- The reads run in the order of their sessions (jti), not as they came:
-- a read may update its session's last_seen (auth_check), and two
-- batches holding some of the same sessions take their row locks in one
-- order, so they cannot deadlock.
CREATE OR REPLACE FUNCTION api_case_get_batch(p_jti text[], p_sub text[],
    p_role text[], p_office text[], p_csrf text[], p_address text[],
    p_id text[], p_role_ok boolean[])
RETURNS TABLE (i integer, status integer, body text, etag integer,
    location text)
LANGUAGE plpgsql AS $$
DECLARE
	o	integer;
BEGIN
	PERFORM batch_check(cardinality(p_jti), ARRAY[cardinality(p_sub),
	    cardinality(p_role), cardinality(p_office), cardinality(p_csrf),
	    cardinality(p_address), cardinality(p_id),
	    cardinality(p_role_ok)]);
	FOR o IN SELECT s FROM generate_subscripts(p_jti, 1) s
	    ORDER BY p_jti[s], s LOOP
		RETURN QUERY SELECT o, r.status, r.body, r.etag, r.location
		FROM api_case_get(p_jti[o], p_sub[o], p_role[o], p_office[o],
		    p_csrf[o], p_address[o], p_id[o], p_role_ok[o]) r;
	END LOOP;
END
$$;

-- GET /api/v1/cases/{id}/events and /notes: oldest first, the cursor
-- is the last sequence number or id seen.
--
-- Reads the case with case_find, without its row lock (see case_find).
CREATE OR REPLACE FUNCTION api_case_events(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_limit integer, p_after text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
	v_after	integer := 0;
	v_items	jsonb;
	v_last	integer;
	v_n	integer;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	k := case_find(p_id);
	r := case_check(c, k, p_role_ok, false, NULL, NULL);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	IF p_after IS NOT NULL THEN
		IF p_after !~ '^[0-9]{1,9}$' THEN
			RETURN NEXT api_error(400, 'bad_request',
			    'cursor must be one given by a previous page.');
			RETURN;
		END IF;
		v_after := p_after::integer;
	END IF;
	SELECT coalesce(jsonb_agg(case_event_json(e) ORDER BY e.seq), '[]'),
	    max(e.seq), count(*)
	INTO v_items, v_last, v_n
	FROM (SELECT * FROM case_events WHERE case_id = k.id
	      AND seq > v_after ORDER BY seq LIMIT p_limit) e;
	RETURN NEXT api_ok(200, jsonb_build_object('items', v_items,
	    'next_cursor', CASE WHEN v_n = p_limit THEN
	    encode(convert_to(v_last::text, 'UTF8'), 'hex') END));
END
$$;

-- Reads the case with case_find, without its row lock (see case_find).
CREATE OR REPLACE FUNCTION api_case_notes(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_limit integer, p_after text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
	v_after	bigint := 0;
	v_items	jsonb;
	v_last	bigint;
	v_n	integer;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	k := case_find(p_id);
	r := case_check(c, k, p_role_ok, false, NULL, NULL);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	IF p_after IS NOT NULL THEN
		IF p_after !~ '^[0-9]{1,18}$' THEN
			RETURN NEXT api_error(400, 'bad_request',
			    'cursor must be one given by a previous page.');
			RETURN;
		END IF;
		v_after := p_after::bigint;
	END IF;
	SELECT coalesce(jsonb_agg(case_note_json(n) ORDER BY n.id), '[]'),
	    max(n.id), count(*)
	INTO v_items, v_last, v_n
	FROM (SELECT * FROM case_notes WHERE case_id = k.id
	      AND id > v_after ORDER BY id LIMIT p_limit) n;
	RETURN NEXT api_ok(200, jsonb_build_object('items', v_items,
	    'next_cursor', CASE WHEN v_n = p_limit THEN
	    encode(convert_to(v_last::text, 'UTF8'), 'hex') END));
END
$$;

-- The cases of the caller's office ($1) with an entry in
-- case_search_words that starts with the text parameter p (a '$n'):
-- the range [p, p || '{') of the btree (office_id, word, case_id).
CREATE OR REPLACE FUNCTION case_search_range(p text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT 'SELECT w.case_id FROM case_search_words w WHERE'
	    ' w.office_id = $1 AND w.word >= ' || p || ' COLLATE "C"'
	    ' AND w.word < ' || p || ' || ''{'' COLLATE "C"'
$$;

-- GET /api/v1/cases: one statement whatever the page size.  The WHERE
-- clause holds only the filters given, so that each shape of query
-- gets a plan for its own index.  The cursor is the sort key of the
-- last row (hex-encoded, opaque to clients).  A search by name or NHS
-- number is a look-up of a person, so it is recorded.
--
-- p_awaiting (last and defaulted, so that callers with the first
-- sixteen arguments work) is 'bereaved' for the liaison officers'
-- queue, exactly api_case_summary's awaiting_bereaved.
CREATE OR REPLACE FUNCTION api_case_list(p_jti text, p_sub text, p_role text,
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
	v_words	text[];
	a_r	boolean;
	a_u	boolean;
	a_d	timestamptz;
	a_id	bigint;
	v_ids	bigint[];
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
	-- state=open (issue 18): the working lists, every state but the
	-- final ones (case_is_final).
	IF p_state = 'open' THEN
		v_where := v_where || ' AND k.state NOT IN (''closed'','
		    ' ''coroner_investigating'', ''withdrawn'')';
	ELSIF p_state IS NOT NULL THEN
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
	IF p_awaiting IS NOT NULL AND p_awaiting NOT IN ('bereaved',
	    'practitioner', 'mccd', 'final_actions', 'today',
	    'coroner_acknowledgement') THEN
		RETURN NEXT api_error(400, 'bad_request',
		    'awaiting must be bereaved, practitioner, mccd, '
		    'final_actions, today or coroner_acknowledgement.');
		RETURN;
	END IF;
	-- api_case_summary's awaiting_* counts, filter for filter: in
	-- scrutiny, nobody reached and the attempts not documented as
	-- exhausted (bereaved); in scrutiny and no discussion with the
	-- practitioner that happened (practitioner); the MCCD awaited;
	-- the MCCD issued and the final actions not recorded.  today: in
	-- scrutiny or notified, the deadline falls on today's London date.
	IF p_awaiting = 'bereaved' THEN
		v_where := v_where || ' AND k.state = ''in_scrutiny'''
		    ' AND NOT EXISTS (SELECT 1 FROM contacts t'
		    '  WHERE t.case_id = k.id AND t.outcome = ''reached'')'
		    ' AND NOT EXISTS (SELECT 1 FROM contact_exhaustions x'
		    '  WHERE x.case_id = k.id)';
	ELSIF p_awaiting = 'practitioner' THEN
		v_where := v_where || ' AND k.state = ''in_scrutiny'''
		    ' AND NOT EXISTS (SELECT 1 FROM practitioner_discussions d'
		    '  WHERE d.case_id = k.id AND d.happened)';
	ELSIF p_awaiting = 'mccd' THEN
		v_where := v_where || ' AND k.state = ''awaiting_mccd''';
	ELSIF p_awaiting = 'final_actions' THEN
		v_where := v_where || ' AND k.state = ''mccd_issued'''
		    ' AND k.final_actions IS NULL';
	ELSIF p_awaiting = 'coroner_acknowledgement' THEN
		v_where := v_where || ' AND NOT case_is_final(k.state)'
		    ' AND referral_unacknowledged(k.id)';
	ELSIF p_awaiting = 'today' THEN
		v_where := v_where || ' AND k.state IN (''notified'','
		    ' ''in_scrutiny'') AND london_date(k.deadline) ='
		    ' london_date(now())';
	END IF;
	IF p_q IS NOT NULL THEN
		v_q := replace(p_q, ' ', '');
		IF v_q ~ '^[0-9]{10}$' THEN
			v_where := v_where || ' AND k.nhs_number = $5';
		ELSE
			-- Issue 18: each word of the query at the start of a
			-- word of the name, in any order, or the query run
			-- together at the start of a word of the name run on
			-- to its end (case_search_entries): "OConnor" finds
			-- "Mary O Connor".  Each is a range of the btree of
			-- case_search_words (migration 0031) within the
			-- caller's office: a prefix p is [p, p || '{'), as
			-- case_search_norm leaves only a-z, 0-9 and spaces.
			v_q := case_search_norm(p_q);
			v_words := string_to_array(v_q, ' ');
			v_q := replace(v_q, ' ', '');
			IF v_q = '' THEN
				v_where := v_where || ' AND false';
			ELSE
				v_where := v_where || ' AND k.id = ANY (ARRAY('
				    || case_search_range('$5');
				IF array_length(v_words, 1) > 1 THEN
					v_where := v_where || ' UNION (';
					FOR i IN 1 .. least(array_length(v_words,
					    1), 8) LOOP
						v_where := v_where || CASE WHEN
						    i > 1 THEN ' INTERSECT ' ELSE
						    '' END || case_search_range(
						    '$10[' || i || ']');
					END LOOP;
					v_where := v_where || ')';
				END IF;
				v_where := v_where || '))';
			END IF;
		END IF;
		PERFORM security_log('case_search', c.username, c.office_code,
		    NULL, p_address, jsonb_build_object('q', p_q));
	END IF;
	BEGIN
		IF p_after IS NOT NULL THEN
			a_u := split_part(p_after, '|', 1)::boolean;
			a_d := nullif(split_part(p_after, '|', 2), '')::timestamptz;
			a_id := split_part(p_after, '|', 3)::bigint;
			a_r := coalesce(nullif(split_part(p_after, '|', 4),
			    ''), 'true')::boolean;
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
		-- Issue 18: open cases only, whatever the filters (a closed
		-- or withdrawn case is never "urgent"), a requested urgent
		-- release without an outcome first (index
		-- cases_office_most_urgent).
		v_where := v_where || ' AND k.state NOT IN (''closed'','
		    ' ''coroner_investigating'', ''withdrawn'')';
		v_order := 'NOT (k.urgent_requested AND k.urgent_outcome IS NULL),'
		    ' NOT k.urgent, k.deadline, k.id';
		IF p_after IS NOT NULL THEN
			v_where := v_where || ' AND (NOT (k.urgent_requested AND'
			    ' k.urgent_outcome IS NULL), NOT k.urgent, k.deadline,'
			    ' k.id) > ($11, $6, $7, $8)';
		END IF;
	ELSE
		v_order := 'k.id DESC';
		IF p_after IS NOT NULL THEN
			v_where := v_where || ' AND k.id < $8';
		END IF;
	END IF;
	-- Two statements (issue 21): this one, built for the filters given,
	-- finds the page's cases, their order and the cursor; the one after
	-- it, always the same text, builds their JSON.  A statement EXECUTE
	-- runs is planned on every call, and planning the JSON of a list
	-- cost as much as running it; a fixed statement's plan is kept.
	EXECUTE 'SELECT coalesce(array_agg(k.id ORDER BY k.rn), ''{}''),'
	    ' (array_agg(k.cur ORDER BY k.rn DESC))[1]'
	    ' FROM (SELECT k.id, row_number() OVER () AS rn,'
	    '   (NOT k.urgent)::text || ''|'' || to_char(k.deadline AT TIME ZONE'
	    '   ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.US"Z"'') || ''|'' || k.id'
	    '   || ''|'' || (NOT (k.urgent_requested AND k.urgent_outcome'
	    '   IS NULL))::text AS cur'
	    '   FROM (SELECT * FROM cases k WHERE ' || v_where
	    || '   ORDER BY ' || v_order || ' LIMIT $9) k) k'
	INTO v_ids, v_last
	USING c.office_id, p_state, p_examiner, p_officer, v_q, a_u, a_d,
	    a_id, p_limit, v_words, a_r;
	v_n := cardinality(v_ids);
	SELECT coalesce(jsonb_agg(jsonb_build_object(
	    'id', k.id::text, 'state', k.state, 'version', k.version,
	    'given_name', k.given_name, 'family_name', k.family_name,
	    'nhs_number', k.nhs_number, 'date_of_birth', k.date_of_birth,
	    'sex', k.sex, 'date_of_death', k.date_of_death,
	    'place_of_death', k.place_of_death,
	    'examiner', e.username, 'officer', f.username,
	    'examiner_name', e.display_name, 'officer_name', f.display_name,
	    'ap_name', k.ap_name,
	    'waiting_for', CASE WHEN k.state = 'notified' THEN 'scrutiny'
	      WHEN k.state = 'in_scrutiny' AND NOT EXISTS (SELECT 1
	      FROM contacts t WHERE t.case_id = k.id AND t.outcome = 'reached')
	      AND NOT EXISTS (SELECT 1 FROM contact_exhaustions x
	      WHERE x.case_id = k.id) THEN 'bereaved'
	      WHEN k.state = 'in_scrutiny' THEN 'scrutiny'
	      WHEN k.state = 'awaiting_mccd' THEN 'mccd'
	      WHEN k.state = 'mccd_issued' AND k.final_actions IS NULL
	      THEN 'final_actions'
	      WHEN k.state = 'referred_to_coroner' THEN 'coroner' END,
	    'priority', case_priority_json(k),
	    'urgent_release', case_urgent_release_json(k),
	    'notified_at', rfc3339(k.notified_at),
	    'deadline', rfc3339(k.deadline),
	    'overdue', case_overdue(k.state, k.deadline),
	    'created_at', rfc3339(k.created_at),
	    'updated_at', rfc3339(k.updated_at)) ORDER BY o.n), '[]')
	INTO v_items
	FROM unnest(v_ids) WITH ORDINALITY o(id, n)
	JOIN cases k ON k.id = o.id
	LEFT JOIN users e ON e.id = k.examiner_id
	LEFT JOIN users f ON f.id = k.officer_id;
	RETURN NEXT api_ok(200, jsonb_build_object('items', v_items,
	    'next_cursor', CASE WHEN v_n = p_limit THEN
	    encode(convert_to(v_last, 'UTF8'), 'hex') END));
END
$$;

-- GET /api/v1/cases/summary: the office's queue counts, one scan.
CREATE OR REPLACE FUNCTION api_case_summary(p_jti text, p_sub text, p_role text,
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
	IF c.role NOT IN ('officer', 'medical_examiner',
	    'lead_medical_examiner', 'liaison_officer') THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not read cases.');
		RETURN;
	END IF;
	SELECT jsonb_build_object(
	    'open', count(*),
	    'mine', count(*) FILTER (WHERE k.examiner_id = c.user_id
	        OR k.officer_id = c.user_id),
	    'due_today', count(*) FILTER (WHERE k.state IN ('notified',
	        'in_scrutiny') AND london_date(k.deadline) = london_date(now())),
	    'overdue', count(*) FILTER (WHERE case_overdue(k.state, k.deadline)),
	    'urgent', count(*) FILTER (WHERE k.urgent),
	    'unassigned', count(*) FILTER (WHERE k.examiner_id IS NULL),
	    'awaiting_practitioner', count(*) FILTER (WHERE
	        k.state = 'in_scrutiny' AND NOT EXISTS (SELECT 1
	        FROM practitioner_discussions d WHERE d.case_id = k.id
	        AND d.happened)),
	    'awaiting_bereaved', count(*) FILTER (WHERE
	        k.state = 'in_scrutiny' AND NOT EXISTS (SELECT 1
	        FROM contacts t WHERE t.case_id = k.id
	        AND t.outcome = 'reached') AND NOT EXISTS (SELECT 1
	        FROM contact_exhaustions x WHERE x.case_id = k.id)),
	    'awaiting_mccd', count(*) FILTER (WHERE k.state = 'awaiting_mccd'),
	    'final_actions_outstanding', count(*) FILTER (WHERE
	        k.state = 'mccd_issued' AND k.final_actions IS NULL),
	    'awaiting_coroner_acknowledgement', count(*) FILTER (WHERE
	        referral_unacknowledged(k.id)))
	INTO v
	FROM cases k
	WHERE k.office_id = c.office_id AND NOT case_is_final(k.state);
	RETURN NEXT api_ok(200, v);
END
$$;

-- GET /api/v1/reference: the body is built in C from the same tables
-- the handlers use; the call checks the session like any other.
CREATE OR REPLACE FUNCTION api_reference(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_body jsonb)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	RETURN NEXT api_ok(200, p_body);
END
$$;
