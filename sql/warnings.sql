-- Clinical-safety warnings (issue 19, DOMAIN.md "warn, do not refuse"):
-- raised after a write that succeeds, kept open on the case until
-- someone who may write to it acknowledges them.

-- The open warnings of a case, oldest first, as API.md's `warnings`.
-- PL/pgSQL so that its plan is kept (see case_json).
CREATE OR REPLACE FUNCTION case_warnings_json(p_case_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT coalesce(jsonb_agg(jsonb_strip_nulls(
	    jsonb_build_object('code', w.code, 'message', w.message,
	    'field', w.field, 'raised_at', rfc3339(w.raised_at)))
	    ORDER BY w.id), '[]')
	    FROM case_warnings w
	    WHERE w.case_id = p_case_id AND w.acknowledged_at IS NULL);
END
$$;

-- Raises one warning unless the same one (code and message) is open or
-- was acknowledged already: a warning someone has seen does not come
-- back with every later save, but a new finding (another duplicate,
-- another abbreviation) does.  An open warning of the code takes the
-- new wording.
CREATE OR REPLACE FUNCTION case_warning_put(k cases, p_code text,
    p_message text, p_field text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM case_warnings WHERE case_id = k.id
	    AND code = p_code AND message = p_message) THEN
		RETURN;
	END IF;
	UPDATE case_warnings SET message = p_message, field = p_field,
	    raised_at = now()
	WHERE case_id = k.id AND code = p_code AND acknowledged_at IS NULL;
	IF NOT FOUND THEN
		INSERT INTO case_warnings (case_id, office_id, code, message,
		    field)
		VALUES (k.id, k.office_id, p_code, p_message, p_field);
	END IF;
END
$$;

-- The whole words of a cause of death (every text line of either form)
-- that are on the office's list, in the list's spelling, sorted.
CREATE OR REPLACE FUNCTION case_cause_abbreviations(p_cause jsonb,
    p_list text[])
RETURNS text[] LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN ARRAY(SELECT DISTINCT a FROM unnest(p_list) a
	    WHERE upper(a) IN (SELECT w FROM jsonb_each_text(p_cause) t,
	    regexp_split_to_table(upper(t.value), '[^A-Z0-9]+') w
	    WHERE t.key <> 'form' AND jsonb_typeof(p_cause->t.key) = 'string')
	    ORDER BY a);
END
$$;

-- Which warnings the case's stored fields raise now.  Called by the
-- writes whose fields they read (creation, PATCH, cause of death, final
-- actions) after the write and before the answer is built, so the
-- answer's `warnings` include them.  A test NHS number gets this far
-- only when the instance allows them (the C side refuses it otherwise).
CREATE OR REPLACE FUNCTION case_warnings_raise(p_case_id bigint)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	k	cases;
	v_dup	bigint;
	v_age	integer;
	v_abbr	text[];
BEGIN
	SELECT * INTO k FROM cases WHERE id = p_case_id;
	SELECT id INTO v_dup FROM cases
	WHERE office_id = k.office_id AND id <> k.id
	  AND NOT case_is_final(state)
	  AND date_of_birth = k.date_of_birth
	  AND date_of_death = k.date_of_death
	  AND case_search_norm(family_name) = case_search_norm(k.family_name)
	ORDER BY id LIMIT 1;
	IF v_dup IS NOT NULL THEN
		PERFORM case_warning_put(k, 'possible_duplicate',
		    'Case ' || v_dup || ' is open for someone with the same '
		    || 'family name, date of birth and date of death: check '
		    || 'that this is not the same death.', 'family_name');
	END IF;
	v_age := date_part('year', age(k.date_of_death, k.date_of_birth));
	IF v_age > 120 THEN
		PERFORM case_warning_put(k, 'age_over_120',
		    'The dates give an age at death of ' || v_age
		    || ' years: check the date of birth.', 'date_of_birth');
	END IF;
	IF k.cause_of_death IS NOT NULL THEN
		v_abbr := case_cause_abbreviations(k.cause_of_death,
		    (SELECT cause_abbreviations FROM offices
		    WHERE id = k.office_id));
		IF cardinality(v_abbr) > 0 THEN
			PERFORM case_warning_put(k, 'abbreviation_in_cause',
			    'The cause of death uses ' || array_to_string(
			    v_abbr, ', ') || ': write '
			    || CASE WHEN cardinality(v_abbr) = 1 THEN 'it'
			    ELSE 'them' END || ' out in full.',
			    'cause_of_death');
		END IF;
	END IF;
	IF k.final_actions->>'implants' = 'present_not_removed'
	    AND k.final_actions->>'disposal' = 'cremation' THEN
		PERFORM case_warning_put(k, 'implants_before_cremation',
		    'Implants are present and not removed, and the body is '
		    || 'to be cremated: tell the funeral director and the '
		    || 'crematorium.', 'final_actions.implants');
	END IF;
	IF k.nhs_number LIKE '999%' THEN
		PERFORM case_warning_put(k, 'test_nhs_number',
		    'The NHS number is in the 999 test range: this is not '
		    || 'a real person''s number.', 'nhs_number');
	END IF;
END
$$;

-- POST /api/v1/cases/{id}/warnings/acknowledgement {"code"}: the open
-- warning of that code is acknowledged by the caller, an event in the
-- case's trail (the code and message, so the timeline can say what was
-- seen).  Any state: a warning on a closed case can still be seen to.
CREATE OR REPLACE FUNCTION api_case_warning_ack(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_invalid jsonb, p_code text, p_idem text,
    p_hash text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
	w	case_warnings;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	k := case_lock(p_id);
	r := case_check(c, k, p_role_ok, false, NULL, p_invalid);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	r := idem_replay(c.user_id, p_idem, p_hash);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	SELECT * INTO w FROM case_warnings
	WHERE case_id = k.id AND code = p_code AND acknowledged_at IS NULL;
	IF w.id IS NULL THEN
		RETURN NEXT idem_save(c.user_id, p_idem, p_hash,
		    api_error(422, 'validation_failed',
		    'Some fields are missing or not valid; see fields.',
		    jsonb_build_object('code',
		    'is not an open warning of this case')));
		RETURN;
	END IF;
	UPDATE case_warnings SET acknowledged_by = c.user_id,
	    acknowledged_at = now()
	WHERE id = w.id;
	RETURN NEXT idem_save(c.user_id, p_idem, p_hash, case_done(c, k.id,
	    'warning_acknowledged', jsonb_build_object('warning',
	    jsonb_build_object('new', jsonb_build_object('code', w.code,
	    'message', w.message))), 200, NULL));
END
$$;

-- GET and PUT /api/v1/offices/{code}/abbreviations: the office's list of
-- abbreviations that raise abbreviation_in_cause.  The lead ME of the
-- office (another office's is 404, as if it did not exist) or an admin.
-- p_list NULL reads; otherwise it is the new list, checked and
-- upper-cased in C (p_fields: what was wrong, answered after 404 and
-- 403).  A change is in the security log with the old and new lists.
CREATE OR REPLACE FUNCTION api_office_abbreviations(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_code text,
    p_list jsonb, p_fields jsonb)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	o	offices;
	v_new	text[];
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role NOT IN ('admin', 'lead_medical_examiner') THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Only a lead medical examiner or an admin may do this.');
		RETURN;
	END IF;
	SELECT * INTO o FROM offices WHERE code = p_code FOR UPDATE;
	IF NOT FOUND OR (c.role = 'lead_medical_examiner'
	    AND o.id <> c.office_id) THEN
		RETURN NEXT api_error(404, 'not_found', 'There is no such office.');
		RETURN;
	END IF;
	IF p_fields IS NOT NULL THEN
		RETURN NEXT api_error(422, 'validation_failed',
		    'Check the fields named.', p_fields);
		RETURN;
	END IF;
	IF p_list IS NOT NULL THEN
		v_new := ARRAY(SELECT jsonb_array_elements_text(p_list));
		IF v_new IS DISTINCT FROM o.cause_abbreviations THEN
			UPDATE offices SET cause_abbreviations = v_new,
			    updated_at = now()
			WHERE id = o.id;
			PERFORM security_log('office_changed', c.username,
			    c.office_code, o.code, p_address, jsonb_build_object(
			    'cause_abbreviations', jsonb_build_object(
			    'old', to_jsonb(o.cause_abbreviations),
			    'new', to_jsonb(v_new))));
			o.cause_abbreviations := v_new;
		END IF;
	END IF;
	RETURN NEXT api_ok(200, jsonb_build_object('office', o.code,
	    'abbreviations', to_jsonb(o.cause_abbreviations)));
END
$$;
