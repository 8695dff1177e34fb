-- Importing cases from a spreadsheet (`medexctl import cases`, issue 23;
-- docs/operations.md "Importing cases").  The row was checked in C by
-- the code that checks POST /api/v1/cases (app/core/import_row.c);
-- this does what api_case_create() does with the stored data, plus the
-- columns of a case's later life.  The caller holds one transaction for
-- the whole file, with medex.office_id set (row-level security).

-- The key lookups have no ORDER BY id: with it, the planner may walk
-- the office's cases by id and filter (any match will do here).
--
-- One row.  Returns {"created": id}, {"existing": id} (the row's key is
-- already a case of the office: office and NHS number, or without one
-- the names and dates of birth and death), or {"errors": {column:
-- phrase}} for what only the database can tell.
--
-- A case in a later state is written in that state directly, not moved
-- through api_case_transition(): the transitions require records (the
-- record review, the practitioner discussion, the bereaved contact, the
-- coroner referral's categories) that a spreadsheet does not hold, and
-- making them up would put in the record what nobody wrote.  What is set
-- directly is the state, examiner_id, officer_id and mccd_issued_on;
-- `independent` stays false (the declaration is the examiner's own: they
-- make it in their next transition, as after a reassignment).  The
-- coroner's outcome is kept in the `imported` event only (a referral
-- row needs categories and a reason).  The `imported` event says all of
-- this: the file's SHA-256, its row, the importer, and every value set.
CREATE OR REPLACE FUNCTION import_case(p_office bigint, p_importer text,
    p_sha256 text, p_file text, p_row integer, p_data jsonb, p_state text,
    p_examiner text, p_officer text, p_mccd date, p_coroner text,
    p_role text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := ROW('ok', NULL, p_importer, NULL, p_role, p_office,
		    NULL)::auth_ctx;
	n	cases := jsonb_populate_record(NULL::cases, p_data);
	v_id	bigint;
	v_exam	bigint;
	v_off	bigint;
	v_bad	jsonb := '{}';
BEGIN
	n.notified_at := coalesce(n.notified_at, now());
	IF london_date(n.notified_at) < n.date_of_death THEN
		v_bad := v_bad || jsonb_build_object('notified_at',
		    'is before the death');
	END IF;
	IF p_examiner IS NOT NULL THEN
		SELECT id INTO v_exam FROM users
		WHERE username = p_examiner AND office_id = p_office
		  AND NOT disabled
		  AND role IN ('medical_examiner', 'lead_medical_examiner');
		IF v_exam IS NULL THEN
			v_bad := v_bad || jsonb_build_object('examiner',
			    'is not a medical examiner of this office');
		END IF;
	END IF;
	IF p_officer IS NOT NULL THEN
		SELECT id INTO v_off FROM users
		WHERE username = p_officer AND office_id = p_office
		  AND NOT disabled AND role = 'officer';
		IF v_off IS NULL THEN
			v_bad := v_bad || jsonb_build_object('officer',
			    'is not an officer of this office');
		END IF;
	END IF;
	IF v_bad <> '{}' THEN
		RETURN jsonb_build_object('errors', v_bad);
	END IF;
	IF n.nhs_number IS NOT NULL THEN
		SELECT id INTO v_id FROM cases
		WHERE office_id = p_office AND nhs_number = n.nhs_number
		LIMIT 1;
	ELSE
		SELECT id INTO v_id FROM cases
		-- coalesce(): not the index on NHS numbers, which would
		-- read every case without one.
		WHERE office_id = p_office AND coalesce(nhs_number, '') = ''
		  AND lower(family_name) = lower(n.family_name)
		  AND lower(given_name) = lower(n.given_name)
		  AND date_of_birth IS NOT DISTINCT FROM n.date_of_birth
		  AND date_of_death = n.date_of_death
		LIMIT 1;
	END IF;
	IF v_id IS NOT NULL THEN
		RETURN jsonb_build_object('existing', v_id);
	END IF;
	INSERT INTO cases (office_id, state, given_name, family_name,
	    search_name, nhs_number, date_of_birth, sex, date_of_death,
	    time_of_death, place_of_death, place_detail, ap_name, ap_gmc,
	    notified_at, deadline, ethnicity, examiner_id, officer_id,
	    mccd_issued_on)
	VALUES (p_office, p_state, n.given_name, n.family_name,
	    case_search_name(n.given_name, n.family_name), n.nhs_number,
	    n.date_of_birth, n.sex, n.date_of_death, n.time_of_death,
	    n.place_of_death, n.place_detail, n.ap_name, n.ap_gmc,
	    n.notified_at, n.notified_at + make_interval(days =>
	    case_target_days(p_office)), n.ethnicity, v_exam, v_off, p_mccd)
	RETURNING id INTO v_id;
	PERFORM case_search_name_keep(v_id, p_office,
	    case_search_name(n.given_name, n.family_name));
	PERFORM case_event_add(v_id, c, 'imported', jsonb_build_object(
	    'file_sha256', p_sha256, 'file', p_file, 'row', p_row,
	    'importer', p_importer) || (SELECT
	    coalesce(jsonb_object_agg(key, jsonb_build_object('new', value)),
	    '{}') FROM jsonb_each(p_data || jsonb_strip_nulls(
	    jsonb_build_object('state', p_state, 'examiner', p_examiner,
	    'officer', p_officer, 'mccd_issued_on', p_mccd,
	    'coroner_outcome', p_coroner)))));
	PERFORM case_warnings_raise(v_id);
	RETURN jsonb_build_object('created', v_id);
END
$$;

-- The rows of a file checked in C (app/core/import_batch.c), each
-- through import_case() as the signed-in user, in the caller's
-- transaction: {"created": n, "existing": n, "errors": [{row, column,
-- message}]}, the errors in the file's order.
CREATE OR REPLACE FUNCTION import_rows_apply(c auth_ctx, p_sha256 text,
    p_file text, p_rows jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	r		jsonb;
	a		jsonb;
	v_created	integer := 0;
	v_existing	integer := 0;
	v_errors	jsonb := '[]';
BEGIN
	FOR r IN SELECT value FROM jsonb_array_elements(p_rows) LOOP
		a := import_case(c.office_id, c.username, p_sha256, p_file,
		    (r->>'row')::integer, r->'data', r->>'state',
		    r->>'examiner', r->>'officer', (r->>'mccd')::date,
		    r->>'coroner', c.role);
		IF a ? 'errors' THEN
			v_errors := v_errors || (SELECT jsonb_agg(
			    jsonb_build_object('row', (r->>'row')::integer,
			    'column', key, 'message', value #>> '{}'))
			    FROM jsonb_each(a->'errors'));
		ELSIF a ? 'existing' THEN
			v_existing := v_existing + 1;
		ELSE
			v_created := v_created + 1;
		END IF;
	END LOOP;
	RETURN jsonb_build_object('created', v_created, 'existing',
	    v_existing, 'errors', v_errors);
END
$$;

-- POST /office/import (app/http/pages/import_page.c): the lead medical
-- examiner's dry run.  p_check is what the C code read: the file's name,
-- SHA-256, encoding and separator, its rows and the errors C found.
-- With none, every row goes through import_case() in a subtransaction
-- that is then rolled back (SQLSTATE MXDRY, raised here and caught
-- here), so the report counts what the import would create and names
-- what only the stored data can refuse (an examiner who is not of the
-- office).  A clean file's rows wait in import_uploads for the
-- confirmation; the user's earlier check, and anything of the office
-- older than an hour, is deleted first.  Always 200 once signed in:
-- the page shows the report, errors or not.
CREATE OR REPLACE FUNCTION api_import_stage(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text,
    p_check jsonb)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v	jsonb := jsonb_build_object('created', 0, 'existing', 0,
		    'errors', coalesce(p_check->'errors', '[]'));
	v_sum	jsonb := p_check - 'rows' - 'errors';
	v_id	bigint;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role <> 'lead_medical_examiner' THEN
		PERFORM security_log('forbidden', c.username, c.office_code,
		    NULL, p_address);
		RETURN NEXT api_error(403, 'forbidden',
		    'Only a lead medical examiner may import cases.');
		RETURN;
	END IF;
	DELETE FROM import_uploads
	WHERE office_id = c.office_id
	  AND (username = c.username OR created_at < now() - interval '1 hour');
	IF jsonb_array_length(v->'errors') = 0 THEN
		BEGIN
			v := import_rows_apply(c, p_check->>'sha256',
			    p_check->>'file', coalesce(p_check->'rows', '[]'));
			RAISE EXCEPTION USING ERRCODE = 'MXDRY';
		EXCEPTION WHEN SQLSTATE 'MXDRY' THEN
			NULL;
		END;
	END IF;
	IF jsonb_array_length(v->'errors') = 0 THEN
		INSERT INTO import_uploads (office_id, username, file, sha256,
		    summary, rows)
		VALUES (c.office_id, c.username, p_check->>'file',
		    p_check->>'sha256', v_sum || v - 'errors',
		    coalesce(p_check->'rows', '[]'))
		RETURNING id INTO v_id;
	END IF;
	PERFORM security_log('import_checked', c.username, c.office_code,
	    p_check->>'file', p_address, jsonb_build_object('sha256',
	    p_check->>'sha256', 'rows', p_check->'rows_read', 'errors',
	    jsonb_array_length(v->'errors')));
	RETURN NEXT api_ok(200, v_sum || v || jsonb_build_object('upload',
	    v_id::text));
END
$$;

-- POST /office/import/confirm: the checked rows, written for real in
-- the request's one transaction.  Only the user who checked them, within
-- the hour; sent twice, the second finds nothing ({"gone": true}).  If
-- the office changed since the check (an examiner disabled), nothing is
-- written (SQLSTATE MXBAD rolls the rows back), the errors say why, and
-- the check is used up: the file is to be checked again.
CREATE OR REPLACE FUNCTION api_import_confirm(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text,
    p_upload text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	u	import_uploads;
	v	jsonb;
	v_ok	boolean := true;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role <> 'lead_medical_examiner' THEN
		PERFORM security_log('forbidden', c.username, c.office_code,
		    NULL, p_address);
		RETURN NEXT api_error(403, 'forbidden',
		    'Only a lead medical examiner may import cases.');
		RETURN;
	END IF;
	-- Taken out as it is used: a second confirmation waits for the
	-- first and then finds nothing.
	DELETE FROM import_uploads
	WHERE p_upload ~ '^[0-9]{1,18}$' AND id = p_upload::bigint
	  AND office_id = c.office_id AND username = c.username
	  AND created_at >= now() - interval '1 hour'
	RETURNING * INTO u;
	IF NOT FOUND THEN
		RETURN NEXT api_ok(200, jsonb_build_object('gone', true));
		RETURN;
	END IF;
	BEGIN
		v := import_rows_apply(c, u.sha256, u.file, u.rows);
		IF jsonb_array_length(v->'errors') > 0 THEN
			RAISE EXCEPTION USING ERRCODE = 'MXBAD';
		END IF;
	EXCEPTION WHEN SQLSTATE 'MXBAD' THEN
		v_ok := false;
	END;
	PERFORM security_log(CASE WHEN v_ok THEN 'import' ELSE
	    'import_refused' END, c.username, c.office_code, u.file,
	    p_address, jsonb_build_object('sha256', u.sha256, 'created',
	    v->'created', 'existing', v->'existing'));
	RETURN NEXT api_ok(200, u.summary || v || jsonb_build_object(
	    'imported', v_ok));
END
$$;
