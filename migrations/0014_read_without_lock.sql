-- Reading the trail or the notes locked the case's row (case_lock, FOR
-- UPDATE) though it writes nothing.  Locking a row gives the transaction
-- an id, so its commit waited for a WAL flush: pgbench at one client on
-- the 10k bench, 6.7 ms a call for GET .../events against 1.9 ms for the
-- whole-case read (whose view is committed without the wait, 0008).  It
-- also made a read of the trail wait behind a write to the case.  A
-- statement reads one snapshot, so the list is consistent without the
-- lock; these two read the case with case_find, the same lookup without
-- FOR UPDATE.  Their bodies are otherwise 0004's.

CREATE FUNCTION case_find(p_id text)
RETURNS cases LANGUAGE plpgsql STABLE AS $$
DECLARE
	k	cases;
BEGIN
	IF p_id !~ '^[0-9]{1,18}$' THEN
		RETURN NULL;
	END IF;
	SELECT * INTO k FROM cases
	WHERE id = p_id::bigint
	  AND office_id = current_setting('medex.office_id', true)::bigint;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	RETURN k;
END
$$;

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
