-- The exports page (GET /exports): the raw figures of the twelve
-- London months up to a month, in one statement, each month through the
-- same export_raw() as the monthly export, so that the page publishes
-- exactly what the files would (disclosure control stays in C,
-- app/core/export.c).  Raw figures never leave the server process.

-- The month before the current one in Europe/London: the last month
-- whose figures are complete.
CREATE FUNCTION export_default_month()
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT to_char(date_trunc('month', now() AT TIME ZONE 'Europe/London')
	    - interval '1 month', 'YYYY-MM')
$$;

-- {"display_name", "role", "month", "office" (null: every office),
--  "offices": [codes the caller may pick], "months": [{"month",
--  "rows": [export_raw rows]}, ...]}, oldest month first, the chosen
-- month last.  The role and office rules are api_export_monthly's.
CREATE FUNCTION api_export_series(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_month text,
    p_want text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v_month	text := coalesce(p_month, export_default_month());
	v_ids	bigint[];
	v_id	bigint;
	v_code	text;
	v_codes	jsonb;
	v_series jsonb;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role NOT IN ('analyst', 'national_analyst',
	    'lead_medical_examiner') THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not see the published figures.');
		RETURN;
	END IF;
	IF v_month !~ '^[0-9]{4}-(0[1-9]|1[0-2])$' OR v_month < '1901' THEN
		RETURN NEXT api_error(400, 'bad_request', 'Give month=YYYY-MM.');
		RETURN;
	END IF;
	IF p_want IS NOT NULL THEN
		SELECT id, code INTO v_id, v_code FROM offices
		WHERE code = p_want;
		IF NOT FOUND THEN
			RETURN NEXT api_error(404, 'not_found',
			    'There is no such office.');
			RETURN;
		END IF;
		IF c.role <> 'national_analyst' AND v_id <> c.office_id THEN
			RETURN NEXT api_error(403, 'forbidden',
			    'You may see only your own office''s figures.');
			RETURN;
		END IF;
		v_ids := ARRAY[v_id];
	ELSIF c.role = 'national_analyst' THEN
		SELECT array_agg(id) INTO v_ids FROM offices;
	ELSE
		v_ids := ARRAY[c.office_id];
		v_code := c.office_code;
	END IF;
	IF c.role = 'national_analyst' THEN
		SELECT coalesce(jsonb_agg(code ORDER BY code), '[]')
		INTO v_codes FROM offices;
	ELSE
		v_codes := jsonb_build_array(c.office_code);
	END IF;
	PERFORM set_config('medex.export', 'on', true);
	SELECT jsonb_agg(jsonb_build_object('month', m.month, 'rows',
	    export_raw(m.month, coalesce(v_ids, '{}'))->'rows')
	    ORDER BY m.month)
	INTO v_series
	FROM (SELECT to_char((v_month || '-01')::date - k * interval '1 month',
	    'YYYY-MM') AS month FROM generate_series(0, 11) k) m;
	PERFORM security_log('export_view', c.username, c.office_code,
	    coalesce(v_code, 'ALL'), p_address,
	    jsonb_build_object('month', v_month, 'months', 12));
	RETURN NEXT api_ok(200, jsonb_build_object(
	    'display_name', c.display_name, 'role', c.role,
	    'month', v_month, 'office', v_code, 'offices', v_codes,
	    'months', v_series));
END
$$;
