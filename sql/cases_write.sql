-- Writing cases: creation, every record written to a case, and the
-- state transitions.

-- POST /api/v1/cases.  p_data holds the validated body under the
-- column names of cases (the handler maps API.md's names).
CREATE OR REPLACE FUNCTION api_case_create(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_idem text, p_hash text,
    p_data jsonb)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	r	api_result;
	n	cases;
	v_id	bigint;
	v_dup	bigint;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role NOT IN ('officer', 'medical_examiner',
	    'lead_medical_examiner') THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not create cases.');
		RETURN;
	END IF;
	r := idem_replay(c.user_id, p_idem, p_hash);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	n := jsonb_populate_record(NULL::cases, p_data);
	n.notified_at := coalesce(n.notified_at, now());
	IF london_date(n.notified_at) < n.date_of_death THEN
		r := api_error(422, 'validation_failed',
		    'Some fields are missing or not valid; see fields.',
		    jsonb_build_object('notified_at', 'is before the death'));
		RETURN NEXT idem_save(c.user_id, p_idem, p_hash, r);
		RETURN;
	END IF;
	IF n.nhs_number IS NOT NULL THEN
		-- Serialise creations for one person and death, so that two
		-- racing notifications cannot both get through.
		PERFORM pg_advisory_xact_lock(hashtextextended(c.office_id
		    || '/' || n.nhs_number || '/' || n.date_of_death, 11));
		SELECT id INTO v_dup FROM cases
		WHERE office_id = c.office_id AND nhs_number = n.nhs_number
		  AND date_of_death = n.date_of_death
		  AND NOT case_is_final(state)
		ORDER BY id LIMIT 1;
		IF v_dup IS NOT NULL THEN
			RETURN NEXT idem_save(c.user_id, p_idem, p_hash,
			    case_duplicate_error(v_dup));
			RETURN;
		END IF;
	END IF;
	INSERT INTO cases (office_id, given_name, family_name, search_name,
	    nhs_number, date_of_birth, sex, date_of_death, time_of_death, place_of_death,
	    place_detail, ap_name, ap_gmc, notified_at, deadline, ethnicity,
	    prio_child, prio_faith, prio_cultural, prio_coroner, prio_other,
	    prio_detail, urgent_requested, urgent_reason,
	    learning_disability_or_autism, severe_mental_illness,
	    leder_notified_at)
	VALUES (c.office_id, n.given_name, n.family_name,
	    case_search_name(n.given_name, n.family_name), n.nhs_number,
	    n.date_of_birth, n.sex, n.date_of_death, n.time_of_death,
	    n.place_of_death, n.place_detail, n.ap_name, n.ap_gmc,
	    n.notified_at, n.notified_at + make_interval(days =>
	    case_target_days(c.office_id)), n.ethnicity,
	    coalesce(n.prio_child, false), coalesce(n.prio_faith, false),
	    coalesce(n.prio_cultural, false), coalesce(n.prio_coroner, false),
	    coalesce(n.prio_other, false), n.prio_detail,
	    coalesce(n.urgent_requested, false), n.urgent_reason,
	    coalesce(n.learning_disability_or_autism, false),
	    coalesce(n.severe_mental_illness, false), n.leder_notified_at)
	RETURNING id INTO v_id;
	PERFORM case_search_name_keep(v_id, c.office_id,
	    case_search_name(n.given_name, n.family_name));
	PERFORM case_event_add(v_id, c, 'created', (SELECT
	    coalesce(jsonb_object_agg(key, jsonb_build_object('new', value)),
	    '{}') FROM jsonb_each(p_data)));
	PERFORM case_warnings_raise(v_id);
	r := api_ok(201, case_json(v_id, true), 1, '/api/v1/cases/' || v_id);
	RETURN NEXT idem_save(c.user_id, p_idem, p_hash, r);
END
$$;

-- Every write to a case but creation and transitions: the handler
-- validates the body in C and passes what is wrong (p_invalid) and what
-- to write (p_data), and this answers in API.md's order of checks.
-- p_kind says which record; PUTs and PATCH need If-Match, appending
-- POSTs do not (but honour it when sent).
CREATE OR REPLACE FUNCTION api_case_write(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_kind text, p_if_match integer, p_idem text,
    p_hash text, p_invalid jsonb, p_data jsonb)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
	v_append boolean := p_kind IN ('note', 'discussion',
		    'representative', 'contact', 'exhausted', 'governance');
	v_examiner_only boolean := p_kind IN ('cause_of_death',
		    'discussion') OR (p_kind = 'note'
		    AND p_data->>'kind' = 'record_review');
	v_cols	jsonb;
	v_changes jsonb;
	v_action text;
	v_rid	bigint;
	-- An appended record's Location is its case, which lists it with
	-- its id: every Location resolves (issue 19).
	v_loc	text;
	v_uid	bigint;
	v_ref	coroner_referrals;
	v_bad	jsonb := '{}';
	v_noop	boolean := false;
	v_realloc boolean := false;
	-- The most notes, and contacts, one case may hold (issue 20): a
	-- case is read whole, and its answer must stay under RESPONSE_MAX
	-- (8 MiB).  A real scrutiny has a handful of each.
	v_max	constant integer := 200;
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
	-- 403 for who acts: the case's examiner (or a lead ME) only.
	IF v_examiner_only AND (c.role NOT IN ('medical_examiner',
	    'lead_medical_examiner') OR (c.role = 'medical_examiner'
	    AND k.examiner_id IS DISTINCT FROM c.user_id)) THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Only the case''s examiner or a lead medical examiner may do this.');
		RETURN;
	END IF;
	IF p_kind = 'assignment' AND ((c.role = 'officer'
	    AND p_data ? 'examiner') OR (c.role = 'medical_examiner'
	    AND p_data ? 'examiner' AND (p_data->>'examiner') IS DISTINCT FROM
	    c.username)) THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not assign this examiner.');
		RETURN;
	END IF;
	r := case_check_request(k, NOT v_append, p_if_match, p_invalid);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	IF v_append THEN
		r := idem_replay(c.user_id, p_idem, p_hash);
		IF r.status IS NOT NULL THEN
			RETURN NEXT r;
			RETURN;
		END IF;
	END IF;
	IF case_is_final(k.state) THEN
		RETURN NEXT case_final_refusal(k);
		RETURN;
	END IF;

	CASE p_kind
	WHEN 'patch', 'details', 'urgent_release', 'final_actions' THEN
		v_cols := p_data;
		-- The details page (kind 'details', /cases/{id}/details) sends
		-- every field as its form shows it: a time to the minute.  The
		-- recorded time within that minute is kept, so that a form
		-- saved unchanged changes nothing (and records nothing).
		IF p_kind = 'details' AND p_data ? 'notified_at'
		    AND date_trunc('minute', k.notified_at) =
		    (p_data->>'notified_at')::timestamptz THEN
			v_cols := v_cols - 'notified_at';
		END IF;
		v_action := CASE WHEN p_kind IN ('patch', 'details')
		    THEN 'updated' ELSE p_kind || '_recorded' END;
		IF (p_data->>'leder_notified_at')::date < coalesce(
		    (p_data->>'date_of_death')::date, k.date_of_death) THEN
			v_bad := jsonb_build_object('leder_notified_at',
			    'is before the death');
		END IF;
	WHEN 'cause_of_death' THEN
		IF (p_data->'cause_of_death'->>'form' = 'neonatal') <>
		    (k.date_of_death - k.date_of_birth < 28) THEN
			v_bad := jsonb_build_object('form', CASE WHEN
			    k.date_of_death - k.date_of_birth < 28 THEN
			    'must be neonatal for a death in the first 28 days of life'
			    ELSE 'must be standard for a death after the first 28 days of life' END);
		END IF;
		v_cols := p_data;
		v_action := 'cause_of_death_recorded';
	WHEN 'assignment' THEN
		v_cols := '{}';
		IF p_data ? 'examiner' THEN
			SELECT id INTO v_uid FROM users
			WHERE username = p_data->>'examiner'
			  AND office_id = c.office_id AND NOT disabled
			  AND role IN ('medical_examiner', 'lead_medical_examiner');
			IF v_uid IS NULL AND p_data->>'examiner' IS NOT NULL THEN
				v_bad := v_bad || jsonb_build_object('examiner',
				    'is not a medical examiner of this office');
			END IF;
			v_cols := v_cols || jsonb_build_object('examiner_id', v_uid);
			v_realloc := k.examiner_id IS NOT NULL
			    AND v_uid IS DISTINCT FROM k.examiner_id;
			-- The declaration of independence was the previous
			-- examiner's: the new one makes their own (issue 19).
			IF v_uid IS DISTINCT FROM k.examiner_id THEN
				v_cols := v_cols || jsonb_build_object(
				    'independent', false);
			END IF;
			v_uid := NULL;
		END IF;
		IF p_data ? 'officer' THEN
			SELECT id INTO v_uid FROM users
			WHERE username = p_data->>'officer'
			  AND office_id = c.office_id AND NOT disabled
			  AND role = 'officer';
			IF v_uid IS NULL AND p_data->>'officer' IS NOT NULL THEN
				v_bad := v_bad || jsonb_build_object('officer',
				    'is not an officer of this office');
			END IF;
			v_cols := v_cols || jsonb_build_object('officer_id', v_uid);
			v_realloc := v_realloc OR (k.officer_id IS NOT NULL
			    AND v_uid IS DISTINCT FROM k.officer_id);
		END IF;
		-- Taking a case from the examiner or officer who has it is a
		-- reallocation: the lead ME (or whoever) must say why.
		IF v_realloc AND p_data->>'reason' IS NULL THEN
			v_bad := v_bad || jsonb_build_object('reason',
			    'is required when the case is reallocated');
		END IF;
		v_action := 'assigned';
	WHEN 'coroner_referral' THEN
		SELECT * INTO v_ref FROM coroner_referrals
		WHERE case_id = k.id ORDER BY id DESC LIMIT 1;
		-- The open referral sent again as it is: nothing to record.
		v_noop := v_ref.id IS NOT NULL AND v_ref.decision IS NULL
		    AND v_ref.reason IS NOT DISTINCT FROM p_data->>'reason'
		    AND ARRAY(SELECT x FROM unnest(v_ref.categories) x
		    ORDER BY 1) = ARRAY(SELECT x FROM
		    jsonb_array_elements_text(p_data->'categories') x ORDER BY 1);
		IF v_noop THEN
			NULL;
		ELSIF v_ref.id IS NOT NULL AND v_ref.decision IS NULL THEN
			UPDATE coroner_referrals SET
			    categories = ARRAY(SELECT jsonb_array_elements_text(
			    p_data->'categories')), reason = p_data->>'reason'
			WHERE id = v_ref.id;
			v_rid := v_ref.id;
		ELSE
			INSERT INTO coroner_referrals (case_id, office_id,
			    categories, reason, author_id)
			VALUES (k.id, k.office_id, ARRAY(SELECT
			    jsonb_array_elements_text(p_data->'categories')),
			    p_data->>'reason', c.user_id)
			RETURNING id INTO v_rid;
		END IF;
		v_changes := jsonb_build_object('coroner_referral',
		    jsonb_build_object('old', coroner_referral_json(v_ref),
		    'new', p_data));
		v_action := 'coroner_referral_recorded';
	WHEN 'coroner_decision' THEN
		SELECT * INTO v_ref FROM coroner_referrals
		WHERE case_id = k.id ORDER BY id DESC LIMIT 1;
		IF v_ref.id IS NULL THEN
			v_bad := jsonb_build_object('coroner_referral',
			    'no referral to the coroner is recorded');
		ELSIF london_date((p_data->>'decided_at')::timestamptz) <
		    k.date_of_death THEN
			v_bad := jsonb_build_object('decided_at',
			    'is before the death');
		-- A decision answers the referral: not before the day the
		-- case was referred (by London date: forms give a day).
		ELSIF v_ref.referred_at IS NOT NULL AND london_date(
		    (p_data->>'decided_at')::timestamptz) <
		    london_date(v_ref.referred_at) THEN
			v_bad := jsonb_build_object('decided_at',
			    'is before the referral to the coroner');
		ELSIF v_ref.decision IS NOT DISTINCT FROM p_data->>'decision'
		    AND v_ref.decided_at IS NOT DISTINCT FROM
		    (p_data->>'decided_at')::timestamptz
		    AND v_ref.coroner_reference IS NOT DISTINCT FROM
		    p_data->>'coroner_reference' THEN
			v_noop := true;
		ELSE
			UPDATE coroner_referrals SET decision = p_data->>'decision',
			    decided_at = (p_data->>'decided_at')::timestamptz,
			    coroner_reference = p_data->>'coroner_reference',
			    decision_recorded_at = now()
			WHERE id = v_ref.id;
			v_changes := jsonb_build_object('decision',
			    jsonb_build_object('old', v_ref.decision,
			    'new', p_data->>'decision'), 'decided_at',
			    jsonb_build_object('old', rfc3339(v_ref.decided_at),
			    'new', p_data->>'decided_at'), 'coroner_reference',
			    jsonb_build_object('old', v_ref.coroner_reference,
			    'new', p_data->>'coroner_reference'));
		END IF;
		v_action := 'coroner_decision_recorded';
	WHEN 'referral_sent', 'referral_ack' THEN
		-- Issue 23: sending and the coroner's acknowledgement are
		-- recorded on the latest referral (sql/referral.sql).
		SELECT * INTO v_ref FROM coroner_referrals
		WHERE case_id = k.id ORDER BY id DESC LIMIT 1;
		SELECT b, n, ch INTO v_bad, v_noop, v_changes
		FROM referral_sent_apply(c, k, v_ref, p_kind, p_data);
		v_action := CASE p_kind WHEN 'referral_sent'
		    THEN 'coroner_referral_sent'
		    ELSE 'coroner_referral_acknowledged' END;
	WHEN 'note' THEN
		IF (SELECT count(*) FROM case_notes WHERE case_id = k.id) >=
		    v_max THEN
			v_bad := jsonb_build_object('notes', format('this case '
			    'already has %s notes, the most a case may hold',
			    v_max));
		ELSIF p_data->>'amends' IS NOT NULL AND NOT EXISTS (SELECT 1
		    FROM case_notes WHERE case_id = k.id
		    AND id = (p_data->>'amends')::bigint) THEN
			v_bad := jsonb_build_object('amends',
			    'is not a note of this case');
		ELSE
			INSERT INTO case_notes (case_id, office_id, kind, text,
			    amends, circumstances, proposed_outcome, author_id)
			VALUES (k.id, k.office_id, p_data->>'kind',
			    p_data->>'text', (p_data->>'amends')::bigint,
			    p_data->>'circumstances',
			    p_data->>'proposed_outcome', c.user_id)
			RETURNING id INTO v_rid;
			v_loc := '/api/v1/cases/' || k.id;
		END IF;
		v_action := 'note_added';
	WHEN 'discussion' THEN
		IF london_date((p_data->>'at')::timestamptz) <
		    k.date_of_death THEN
			v_bad := jsonb_build_object('at', 'is before the death');
		ELSE
			INSERT INTO practitioner_discussions (case_id, office_id,
			    name, gmc_number, at, happened, reason_not,
			    proposed_cause, outcome, author_id)
			VALUES (k.id, k.office_id, p_data->>'name',
			    p_data->>'gmc_number',
			    (p_data->>'at')::timestamptz,
			    (p_data->>'happened')::boolean,
			    p_data->>'reason_not', p_data->>'proposed_cause',
			    p_data->>'outcome', c.user_id)
			RETURNING id INTO v_rid;
			v_loc := '/api/v1/cases/' || k.id;
		END IF;
		v_action := 'practitioner_discussion_added';
	WHEN 'representative' THEN
		INSERT INTO representatives (case_id, office_id, name,
		    relationship, phone, email, present_at_death,
		    is_informant, author_id)
		VALUES (k.id, k.office_id, p_data->>'name',
		    p_data->>'relationship', p_data->>'phone',
		    p_data->>'email', (p_data->>'present_at_death')::boolean,
		    (p_data->>'is_informant')::boolean, c.user_id)
		RETURNING id INTO v_rid;
		v_loc := '/api/v1/cases/' || k.id;
		v_action := 'representative_added';
	WHEN 'contact' THEN
		IF (SELECT count(*) FROM contacts WHERE case_id = k.id) >=
		    v_max THEN
			v_bad := jsonb_build_object('contacts', format('this case '
			    'already has %s contacts, the most a case may hold',
			    v_max));
		END IF;
		IF p_data->>'representative_id' IS NOT NULL AND NOT EXISTS (
		    SELECT 1 FROM representatives WHERE case_id = k.id
		    AND id::text = p_data->>'representative_id') THEN
			v_bad := v_bad || jsonb_build_object('representative_id',
			    'is not a representative of this case');
		END IF;
		IF london_date((p_data->>'at')::timestamptz) <
		    k.date_of_death THEN
			v_bad := v_bad || jsonb_build_object('at',
			    'is before the death');
		END IF;
		IF v_bad = '{}' THEN
			INSERT INTO contacts (case_id, office_id,
			    representative_id, person_name, relationship, method,
			    outcome, at, questions, concerns_raised, concerns,
			    author_id)
			VALUES (k.id, k.office_id,
			    (p_data->>'representative_id')::bigint,
			    p_data->>'person_name', p_data->>'relationship',
			    p_data->>'method', p_data->>'outcome',
			    (p_data->>'at')::timestamptz, p_data->>'questions',
			    (p_data->>'concerns_raised')::boolean,
			    p_data->>'concerns', c.user_id)
			RETURNING id INTO v_rid;
			v_loc := '/api/v1/cases/' || k.id;
		END IF;
		v_action := 'contact_added';
	WHEN 'exhausted' THEN
		INSERT INTO contact_exhaustions (case_id, office_id, reason,
		    detail, author_id)
		VALUES (k.id, k.office_id, p_data->>'reason',
		    p_data->>'detail', c.user_id)
		RETURNING id INTO v_rid;
		v_loc := '/api/v1/cases/' || k.id;
		v_action := 'contact_exhausted';
	WHEN 'governance' THEN
		IF p_data->>'contact_id' IS NOT NULL AND NOT EXISTS (
		    SELECT 1 FROM contacts WHERE case_id = k.id
		    AND id::text = p_data->>'contact_id') THEN
			v_bad := jsonb_build_object('contact_id',
			    'is not a contact of this case');
		ELSE
			INSERT INTO governance_referrals (case_id, office_id, kind,
			    reason, contact_id, author_id)
			VALUES (k.id, k.office_id, p_data->>'kind',
			    p_data->>'reason', (p_data->>'contact_id')::bigint,
			    c.user_id)
			RETURNING id INTO v_rid;
			v_loc := '/api/v1/cases/' || k.id;
		END IF;
		v_action := 'governance_referral_added';
	ELSE
		RAISE EXCEPTION 'api_case_write: unknown kind %', p_kind;
	END CASE;

	IF v_bad <> '{}' THEN
		r := api_error(422, 'validation_failed',
		    'Some fields are missing or not valid; see fields.', v_bad);
		IF v_append THEN
			r := idem_save(c.user_id, p_idem, p_hash, r);
		END IF;
		RETURN NEXT r;
		RETURN;
	END IF;
	IF v_noop THEN
		RETURN NEXT api_ok(200, case_json(k.id,
		    c.role <> 'liaison_officer'), k.version);
		RETURN;
	END IF;
	IF v_cols IS NOT NULL THEN
		BEGIN
			v_changes := case_update_cols(k, v_cols);
		EXCEPTION WHEN unique_violation THEN
			RETURN NEXT case_duplicate_error((SELECT id FROM cases
			    WHERE office_id = k.office_id AND id <> k.id
			    AND nhs_number = coalesce(p_data->>'nhs_number',
			    k.nhs_number) AND date_of_death = coalesce(
			    (p_data->>'date_of_death')::date, k.date_of_death)
			    AND NOT case_is_final(state) LIMIT 1));
			RETURN;
		WHEN check_violation THEN
			RETURN NEXT api_error(422, 'validation_failed',
			    'Some fields are missing or not valid; see fields.',
			    jsonb_build_object(CASE WHEN SQLERRM LIKE
			    '%cases_notified_after_death%' THEN 'notified_at'
			    ELSE 'date_of_death' END,
			    'does not fit the other dates of the case'));
			RETURN;
		END;
		-- A PUT that changes nothing records nothing: no event, the
		-- same version (a form saved unchanged, or an API retry).
		IF v_changes = '{}' AND p_kind <> 'patch' THEN
			RETURN NEXT api_ok(200, case_json(k.id,
			    c.role <> 'liaison_officer'), k.version);
			RETURN;
		END IF;
		IF p_kind = 'assignment' THEN
			v_changes := (SELECT coalesce(jsonb_object_agg(
			    replace(key, '_id', ''), jsonb_build_object(
			    'old', (SELECT username FROM users
			        WHERE id = (value->>'old')::bigint),
			    'new', (SELECT username FROM users
			        WHERE id = (value->>'new')::bigint))), '{}')
			    FROM jsonb_each(v_changes) WHERE key LIKE '%\_id')
			    || (v_changes - 'examiner_id' - 'officer_id');
			IF p_data->>'reason' IS NOT NULL THEN
				v_changes := v_changes || jsonb_build_object(
				    'reason', jsonb_build_object('new',
				    p_data->>'reason'));
			END IF;
		END IF;
	ELSIF v_changes IS NULL THEN
		v_changes := jsonb_build_object(p_kind, jsonb_build_object(
		    'new', p_data || jsonb_build_object('id', v_rid::text)));
	END IF;
	-- The warnings these fields raise, before the answer is built.
	IF p_kind IN ('patch', 'details', 'cause_of_death', 'final_actions') THEN
		PERFORM case_warnings_raise(k.id);
	END IF;
	r := case_done(c, k.id, v_action, v_changes,
	    CASE WHEN v_append THEN 201 ELSE 200 END, v_loc);
	IF v_append THEN
		r := idem_save(c.user_id, p_idem, p_hash, r);
	END IF;
	RETURN NEXT r;
END
$$;

-- POST /api/v1/cases/{id}/transitions.  The C side looked the caller's
-- role and the target up in case_state.c's table for every state the
-- case could be in: p_rules maps each state to its decision ("o" ok,
-- "i" 409, "f" 403), the row's guards and whether only the case's
-- examiner may make it; p_msgs holds the guards' field names and
-- phrases.  Here the decision for the locked row's state is applied,
-- the guards are checked against the records, and the state, version
-- and event change together: two concurrent requests queue on the row
-- lock, and the second finds a new version (412).
CREATE OR REPLACE FUNCTION api_case_transition(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_if_match integer, p_invalid jsonb, p_to text,
    p_rules jsonb, p_msgs jsonb, p_reason text, p_independent boolean,
    p_mccd date)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
	v_rule	jsonb;
	v_last	coroner_referrals;
	v_g	text;
	v_ok	boolean;
	v_msg	jsonb;
	v_fields jsonb := '{}';
	v_changes jsonb;
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
	v_rule := p_rules->k.state;
	IF v_rule->>'d' = 'f' THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not move this case there.');
		RETURN;
	END IF;
	IF v_rule->>'d' = 'o' AND (v_rule->>'x')::boolean
	    AND c.role <> 'lead_medical_examiner'
	    AND k.examiner_id IS DISTINCT FROM c.user_id THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Only the case''s examiner or a lead medical examiner may do this.');
		RETURN;
	END IF;
	r := case_check_request(k, true, p_if_match, p_invalid);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	IF v_rule->>'d' IS DISTINCT FROM 'o' THEN
		RETURN NEXT api_error(409, 'invalid_transition',
		    'A case that is ' || k.state || ' cannot move to ' || p_to
		    || '.', NULL, jsonb_build_object('from', k.state,
		    'to', p_to));
		RETURN;
	END IF;

	-- The guards, from the records ("records made before a reopening
	-- still count": every record of the case, whenever made).
	SELECT * INTO v_last FROM coroner_referrals
	WHERE case_id = k.id ORDER BY id DESC LIMIT 1;
	FOR v_g IN SELECT jsonb_array_elements_text(v_rule->'g') LOOP
		v_ok := CASE v_g
		WHEN 'independent' THEN p_independent IS TRUE
		WHEN 'referral_categories' THEN v_last.id IS NOT NULL
		    AND v_last.decision IS NULL
		    AND cardinality(v_last.categories) >= 1
		WHEN 'reason' THEN p_reason IS NOT NULL
		    OR (p_to = 'referred_to_coroner' AND v_last.id IS NOT NULL
		    AND v_last.decision IS NULL)
		WHEN 'coroner_not_investigating' THEN
		    v_last.decision IS NOT DISTINCT FROM 'not_investigating'
		WHEN 'coroner_investigating' THEN
		    v_last.decision IS NOT DISTINCT FROM 'investigating'
		WHEN 'record_review' THEN EXISTS (SELECT 1 FROM case_notes
		    WHERE case_id = k.id AND kind = 'record_review')
		WHEN 'ap_discussion' THEN EXISTS (SELECT 1
		    FROM practitioner_discussions WHERE case_id = k.id
		    AND happened)
		WHEN 'cause_agreed' THEN coalesce((k.cause_of_death->>
		    'agreed_with_attending_practitioner')::boolean, false)
		WHEN 'bereaved' THEN EXISTS (SELECT 1 FROM contacts
		    WHERE case_id = k.id AND outcome = 'reached')
		    OR EXISTS (SELECT 1 FROM contact_exhaustions
		    WHERE case_id = k.id)
		WHEN 'no_open_referral' THEN v_last.id IS NULL
		    OR v_last.decision IS NOT NULL
		WHEN 'mccd_date' THEN p_mccd IS NOT NULL
		WHEN 'concerns_decided' THEN (SELECT count(*) FROM contacts t
		    WHERE t.case_id = k.id AND t.concerns_raised
		    AND NOT EXISTS (SELECT 1 FROM governance_referrals g
		    WHERE g.contact_id = t.id)) <= (SELECT count(*)
		    FROM governance_referrals WHERE case_id = k.id
		    AND contact_id IS NULL)
		WHEN 'final_actions' THEN k.final_actions IS NOT NULL
		-- The examiner of now: declared since they got the case
		-- (cases.independent is cleared on reallocation), or
		-- declaring in this very request.
		WHEN 'examiner_declared' THEN k.examiner_id IS NOT NULL
		    AND (k.independent OR (p_independent IS TRUE
		    AND k.examiner_id = c.user_id))
		ELSE false END;
		IF NOT coalesce(v_ok, false) THEN
			v_msg := p_msgs->(v_g || CASE WHEN v_g LIKE 'coroner_%'
			    THEN '/' || coalesce(v_last.decision, 'none')
			    ELSE '' END);
			v_fields := v_fields || jsonb_build_object(
			    coalesce(v_msg->>0, v_g),
			    coalesce(v_msg->>1, 'is not met'));
		END IF;
	END LOOP;
	IF p_to = 'mccd_issued' AND p_mccd < k.date_of_death THEN
		v_fields := v_fields || jsonb_build_object('mccd_issued_on',
		    'is before the date of death');
	END IF;
	IF v_fields <> '{}' THEN
		RETURN NEXT api_error(422, 'validation_failed',
		    'This case does not yet meet what the move requires; see fields.',
		    v_fields);
		RETURN;
	END IF;

	v_changes := jsonb_build_object('state', jsonb_build_object(
	    'old', k.state, 'new', p_to));
	IF p_reason IS NOT NULL THEN
		v_changes := v_changes || jsonb_build_object('reason',
		    jsonb_build_object('new', p_reason));
	END IF;
	IF k.state = 'notified' AND p_to = 'in_scrutiny' THEN
		v_changes := v_changes || jsonb_build_object('examiner',
		    jsonb_build_object('old', (SELECT username FROM users
		    WHERE id = k.examiner_id), 'new', c.username),
		    'independent', jsonb_build_object('old', k.independent,
		    'new', true));
	END IF;
	IF k.state <> 'notified' AND NOT k.independent
	    AND p_independent IS TRUE AND k.examiner_id = c.user_id THEN
		v_changes := v_changes || jsonb_build_object('independent',
		    jsonb_build_object('old', false, 'new', true));
	END IF;
	IF p_to = 'mccd_issued' THEN
		v_changes := v_changes || jsonb_build_object('mccd_issued_on',
		    jsonb_build_object('old', k.mccd_issued_on, 'new', p_mccd));
	END IF;
	UPDATE cases SET state = p_to,
	    examiner_id = CASE WHEN k.state = 'notified'
	        AND p_to = 'in_scrutiny' THEN c.user_id ELSE examiner_id END,
	    independent = independent OR (k.state = 'notified'
	        AND p_to = 'in_scrutiny') OR (p_independent IS TRUE
	        AND k.examiner_id = c.user_id),
	    mccd_issued_on = CASE WHEN p_to = 'mccd_issued' THEN p_mccd
	        ELSE mccd_issued_on END
	WHERE id = k.id;
	IF p_to = 'referred_to_coroner' THEN
		UPDATE coroner_referrals SET referred_at = now()
		WHERE id = v_last.id;
	END IF;
	RETURN NEXT case_done(c, k.id, 'transition', v_changes, 200, NULL);
END
$$;
