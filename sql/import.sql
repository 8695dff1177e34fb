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
    p_examiner text, p_officer text, p_mccd date, p_coroner text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := ROW('ok', NULL, p_importer, NULL, 'admin', p_office,
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
