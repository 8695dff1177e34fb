-- Offices and users: the admin's API (POST/GET/PATCH /api/v1/offices,
-- /api/v1/users).

-- STABLE, not IMMUTABLE, so that it is inlined (see rfc3339).
CREATE OR REPLACE FUNCTION office_json(o offices)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('code', o.code, 'name', o.name,
	    'target_days', o.target_days, 'retention_years',
	    o.retention_years, 'coroner_area', o.coroner_area,
	    'sso_required', o.sso_required, 'sso_min_acr', o.sso_min_acr,
	    'version', o.version)
$$;

-- PL/pgSQL rather than SQL, so that its plans are kept for the life of
-- the connection (see case_json).
CREATE OR REPLACE FUNCTION user_admin_json(p_user_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT user_json(u.id) || jsonb_build_object('disabled',
	    u.disabled, 'version', u.version, 'sso_subject', u.sso_subject,
	    'email', u.email, 'sso_email_link', u.sso_email_link,
	    'break_glass', u.break_glass)
	    FROM users u WHERE u.id = p_user_id);
END
$$;

-- The previous release's call, without target_days (the column's
-- default, 3).  Kept for instances still on that release during a
-- rolling upgrade; drop it in the release after.
CREATE OR REPLACE FUNCTION api_office_create(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_idem text,
    p_hash text, p_code text, p_name text)
RETURNS SETOF api_result LANGUAGE sql AS $$
	SELECT * FROM api_office_create(p_jti, p_sub, p_role, p_office,
	    p_csrf, p_address, p_idem, p_hash, p_code, p_name, NULL::integer)
$$;

-- p_target_days: the body's, or the server's default for a new office
-- (MEDEX_TARGET_DAYS, docs/operations.md); NULL is the column's, 3.
CREATE OR REPLACE FUNCTION api_office_create(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_idem text,
    p_hash text, p_code text, p_name text, p_target_days integer)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	r	api_result;
	o	offices;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role <> 'admin' THEN
		RETURN NEXT api_error(403, 'forbidden', 'Only an admin may create offices.');
		RETURN;
	END IF;
	r := idem_replay(c.user_id, p_idem, p_hash);
	-- r.status, not r: a row with any NULL field is not IS NOT NULL.
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	INSERT INTO offices (code, name, target_days)
	VALUES (p_code, p_name, coalesce(p_target_days, 3))
	ON CONFLICT (code) DO NOTHING RETURNING * INTO o;
	IF NOT FOUND THEN
		r := api_error(409, 'conflict', 'An office with this code exists already.',
		    jsonb_build_object('code', 'already exists'));
	ELSE
		PERFORM security_log('office_created', c.username,
		    c.office_code, o.code, p_address);
		r := api_ok(201, office_json(o), o.version,
		    '/api/v1/offices/' || o.code);
	END IF;
	RETURN NEXT idem_save(c.user_id, p_idem, p_hash, r);
END
$$;

CREATE OR REPLACE FUNCTION api_office_list(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_limit integer,
    p_after text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v_items	jsonb;
	v_last	text;
	v_n	integer;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role <> 'admin' THEN
		RETURN NEXT api_error(403, 'forbidden', 'Only an admin may list offices.');
		RETURN;
	END IF;
	SELECT coalesce(jsonb_agg(office_json(o) ORDER BY o.code), '[]'),
	    max(o.code), count(*)
	INTO v_items, v_last, v_n
	FROM (SELECT * FROM offices WHERE p_after IS NULL OR code > p_after
	      ORDER BY code LIMIT p_limit) o;
	RETURN NEXT api_ok(200, jsonb_build_object('items', v_items,
	    'next_cursor', CASE WHEN v_n = p_limit THEN
	    encode(convert_to(v_last, 'UTF8'), 'hex') END));
END
$$;

CREATE OR REPLACE FUNCTION api_user_create(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_idem text, p_hash text,
    p_username text, p_display text, p_new_role text, p_new_office text,
    p_password_hash text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	r	api_result;
	v_office bigint;
	v_id	bigint;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role <> 'admin' THEN
		RETURN NEXT api_error(403, 'forbidden', 'Only an admin may create users.');
		RETURN;
	END IF;
	r := idem_replay(c.user_id, p_idem, p_hash);
	-- r.status, not r: a row with any NULL field is not IS NOT NULL.
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	SELECT id INTO v_office FROM offices WHERE code = p_new_office;
	IF NOT FOUND THEN
		r := api_error(422, 'validation_failed', 'Check the fields named.',
		    jsonb_build_object('office', 'no such office'));
	ELSE
		-- One-time: the user chooses their own at first sign-in.
		INSERT INTO users (username, display_name, role, office_id,
		    password_hash, password_change_required)
		VALUES (p_username, p_display, p_new_role, v_office,
		    p_password_hash, true)
		ON CONFLICT (username) DO NOTHING RETURNING id INTO v_id;
		IF v_id IS NULL THEN
			r := api_error(409, 'conflict', 'This username is taken.',
			    jsonb_build_object('username', 'already taken'));
		ELSE
			PERFORM security_log('user_created', c.username,
			    c.office_code, p_username, p_address,
			    jsonb_build_object('role', p_new_role, 'office',
			    p_new_office));
			r := api_ok(201, user_admin_json(v_id), 1,
			    '/api/v1/users/' || p_username);
		END IF;
	END IF;
	RETURN NEXT idem_save(c.user_id, p_idem, p_hash, r);
END
$$;

-- Admins see every user; a lead ME the users of their own office.
CREATE OR REPLACE FUNCTION api_user_list(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_limit integer,
    p_after text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v_items	jsonb;
	v_last	text;
	v_n	integer;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role NOT IN ('admin', 'lead_medical_examiner') THEN
		RETURN NEXT api_error(403, 'forbidden', 'Your role may not list users.');
		RETURN;
	END IF;
	SELECT coalesce(jsonb_agg(user_admin_json(u.id) ORDER BY u.username), '[]'),
	    max(u.username), count(*)
	INTO v_items, v_last, v_n
	FROM (SELECT id, username FROM users
	      WHERE (c.role = 'admin' OR office_id = c.office_id)
	        AND (p_after IS NULL OR username > p_after)
	      ORDER BY username LIMIT p_limit) u;
	RETURN NEXT api_ok(200, jsonb_build_object('items', v_items,
	    'next_cursor', CASE WHEN v_n = p_limit THEN
	    encode(convert_to(v_last, 'UTF8'), 'hex') END));
END
$$;

CREATE OR REPLACE FUNCTION api_user_get(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_username text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	u	users;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	SELECT * INTO u FROM users WHERE username = p_username
	    AND (c.role = 'admin' OR office_id = c.office_id);
	IF NOT FOUND THEN
		RETURN NEXT api_error(404, 'not_found', 'There is no such user.');
		RETURN;
	END IF;
	IF c.role NOT IN ('admin', 'lead_medical_examiner') THEN
		RETURN NEXT api_error(403, 'forbidden', 'Your role may not read users.');
		RETURN;
	END IF;
	RETURN NEXT api_ok(200, user_admin_json(u.id), u.version);
END
$$;

-- Changing role, office, password or disabling ends the user's tokens
-- at once: their sessions are revoked in the same statement.  A
-- password set here is one-time (password_change_required; see
-- auth_check).  An admin may not change their own role or office (403
-- own_account): the caller is the session's user, not a parameter.
--
-- p_sso (issue 24): the single sign-on fields the body sent, checked in
-- C: sso_subject, email (text or null), sso_email_link, break_glass.  A
-- new subject ends the user's sessions too; a subject or email another
-- user has is 409.
CREATE OR REPLACE FUNCTION api_user_patch(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_username text,
    p_if_match integer, p_new_role text, p_new_office text,
    p_disabled boolean, p_sso jsonb, p_password_hash text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	u	users;
	v_office bigint;
	v_changes jsonb := '{}';
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	SELECT * INTO u FROM users WHERE username = p_username
	    AND (c.role = 'admin' OR office_id = c.office_id) FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NEXT api_error(404, 'not_found', 'There is no such user.');
		RETURN;
	END IF;
	IF c.role <> 'admin' THEN
		RETURN NEXT api_error(403, 'forbidden', 'Only an admin may change users.');
		RETURN;
	END IF;
	IF p_if_match IS NULL THEN
		RETURN NEXT api_error(428, 'precondition_required',
		    'Send If-Match with the version you last read.');
		RETURN;
	END IF;
	IF p_if_match <> u.version THEN
		RETURN NEXT api_error(412, 'version_mismatch',
		    'This user was changed since you read it; reload and try again.');
		RETURN;
	END IF;
	IF p_new_office IS NOT NULL THEN
		SELECT id INTO v_office FROM offices WHERE code = p_new_office;
		IF NOT FOUND THEN
			RETURN NEXT api_error(422, 'validation_failed',
			    'Check the fields named.',
			    jsonb_build_object('office', 'no such office'));
			RETURN;
		END IF;
		IF v_office <> u.office_id THEN
			v_changes := v_changes || jsonb_build_object('office', p_new_office);
		END IF;
	END IF;
	IF u.id = c.user_id AND ((p_new_role IS NOT NULL AND
	    p_new_role <> u.role) OR v_changes ? 'office') THEN
		PERFORM security_log('forbidden', c.username, c.office_code,
		    u.username, p_address, jsonb_build_object('reason',
		    'own_account'));
		RETURN NEXT api_error(403, 'own_account',
		    'You cannot change your own role or office; ask another admin.');
		RETURN;
	END IF;
	IF p_new_role IS NOT NULL AND p_new_role <> u.role THEN
		v_changes := v_changes || jsonb_build_object('role', p_new_role);
	END IF;
	IF p_disabled IS NOT NULL AND p_disabled <> u.disabled THEN
		v_changes := v_changes || jsonb_build_object('disabled', p_disabled);
	END IF;
	IF p_password_hash IS NOT NULL THEN
		v_changes := v_changes || jsonb_build_object('password', 'changed');
	END IF;
	p_sso := coalesce(p_sso, '{}');
	IF p_sso ? 'sso_subject' AND (p_sso->>'sso_subject') IS DISTINCT FROM
	    u.sso_subject THEN
		v_changes := v_changes || jsonb_build_object('sso_subject',
		    p_sso->'sso_subject');
	END IF;
	IF p_sso ? 'email' AND (p_sso->>'email') IS DISTINCT FROM u.email THEN
		v_changes := v_changes || jsonb_build_object('email',
		    p_sso->'email');
	END IF;
	IF p_sso ? 'sso_email_link' AND (p_sso->>'sso_email_link')::boolean
	    <> u.sso_email_link THEN
		v_changes := v_changes || jsonb_build_object('sso_email_link',
		    p_sso->'sso_email_link');
	END IF;
	IF p_sso ? 'break_glass' AND (p_sso->>'break_glass')::boolean <>
	    u.break_glass THEN
		v_changes := v_changes || jsonb_build_object('break_glass',
		    p_sso->'break_glass');
	END IF;
	BEGIN
		UPDATE users SET
		    role = coalesce(p_new_role, role),
		    office_id = coalesce(v_office, office_id),
		    disabled = coalesce(p_disabled, disabled),
		    password_hash = coalesce(p_password_hash, password_hash),
		    password_change_required = password_change_required OR
		        p_password_hash IS NOT NULL,
		    sso_subject = CASE WHEN p_sso ? 'sso_subject'
		        THEN p_sso->>'sso_subject' ELSE sso_subject END,
		    email = CASE WHEN p_sso ? 'email' THEN p_sso->>'email'
		        ELSE email END,
		    sso_email_link = coalesce((p_sso->>'sso_email_link')::boolean,
		        sso_email_link),
		    break_glass = coalesce((p_sso->>'break_glass')::boolean,
		        break_glass),
		    version = version + 1, updated_at = now()
		WHERE id = u.id RETURNING * INTO u;
	EXCEPTION WHEN unique_violation THEN
		RETURN NEXT api_error(409, 'conflict',
		    'Another user already has this single sign-on subject or email.');
		RETURN;
	END;
	IF v_changes ?| ARRAY['office', 'role', 'disabled', 'password',
	    'sso_subject'] THEN
		UPDATE sessions SET revoked_at = now()
		WHERE user_id = u.id AND revoked_at IS NULL;
	END IF;
	PERFORM security_log('user_changed', c.username, c.office_code,
	    u.username, p_address, v_changes);
	RETURN NEXT api_ok(200, user_admin_json(u.id), u.version);
END
$$;

-- The previous release's call, without the single sign-on fields.
-- Kept for instances still on that release during a rolling upgrade;
-- drop it in the release after.
CREATE OR REPLACE FUNCTION api_user_patch(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_username text,
    p_if_match integer, p_new_role text, p_new_office text,
    p_disabled boolean, p_password_hash text)
RETURNS SETOF api_result LANGUAGE sql AS $$
	SELECT * FROM api_user_patch(p_jti, p_sub, p_role, p_office, p_csrf,
	    p_address, p_username, p_if_match, p_new_role, p_new_office,
	    p_disabled, NULL::jsonb, p_password_hash)
$$;

CREATE OR REPLACE FUNCTION api_office_get(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_code text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	o	offices;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role <> 'admin' THEN
		RETURN NEXT api_error(403, 'forbidden', 'Only an admin may read offices.');
		RETURN;
	END IF;
	SELECT * INTO o FROM offices WHERE code = p_code;
	IF NOT FOUND THEN
		RETURN NEXT api_error(404, 'not_found', 'There is no such office.');
		RETURN;
	END IF;
	RETURN NEXT api_ok(200, office_json(o), o.version);
END
$$;

-- PATCH /api/v1/offices/{code}: name and target_days.  A case's
-- deadline is stored when it is created (api_case_create), so a new
-- target moves the deadlines of new cases only; existing cases keep
-- theirs (also when their notified_at is corrected: case_update_cols
-- keeps the case's own interval).
--
-- retention_years (issue 19): p_retention_set says whether the body
-- named it; p_retention is then its value, NULL to keep every case.
-- coroner_area (issue 23) likewise: p_area_set, p_area (NULL clears it).
-- p_sso (issue 24): sso_required and sso_min_acr when the body sent them.
CREATE OR REPLACE FUNCTION api_office_patch(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_code text,
    p_if_match integer, p_name text, p_target_days integer,
    p_fields jsonb, p_retention_set boolean, p_retention integer,
    p_area_set boolean, p_area text, p_sso jsonb)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	o	offices;
	v_changes jsonb := '{}';
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role <> 'admin' THEN
		RETURN NEXT api_error(403, 'forbidden', 'Only an admin may change offices.');
		RETURN;
	END IF;
	SELECT * INTO o FROM offices WHERE code = p_code FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NEXT api_error(404, 'not_found', 'There is no such office.');
		RETURN;
	END IF;
	IF p_if_match IS NULL THEN
		RETURN NEXT api_error(428, 'precondition_required',
		    'Send If-Match with the version you last read.');
		RETURN;
	END IF;
	IF p_if_match <> o.version THEN
		RETURN NEXT api_error(412, 'version_mismatch',
		    'This office was changed since you read it; reload and try again.');
		RETURN;
	END IF;
	-- The body's field errors (found in C), after the checks above.
	IF p_fields IS NOT NULL THEN
		RETURN NEXT api_error(422, 'validation_failed',
		    'Check the fields named.', p_fields);
		RETURN;
	END IF;
	IF p_name IS NOT NULL AND p_name <> o.name THEN
		v_changes := v_changes || jsonb_build_object('name',
		    jsonb_build_object('old', o.name, 'new', p_name));
	END IF;
	IF p_target_days IS NOT NULL AND p_target_days <> o.target_days THEN
		v_changes := v_changes || jsonb_build_object('target_days',
		    jsonb_build_object('old', o.target_days, 'new',
		    p_target_days));
	END IF;
	IF p_retention_set AND p_retention IS DISTINCT FROM
	    o.retention_years THEN
		v_changes := v_changes || jsonb_build_object('retention_years',
		    jsonb_build_object('old', o.retention_years, 'new',
		    p_retention));
	END IF;
	IF p_area_set AND p_area IS DISTINCT FROM o.coroner_area THEN
		v_changes := v_changes || jsonb_build_object('coroner_area',
		    jsonb_build_object('old', o.coroner_area, 'new', p_area));
	END IF;
	p_sso := coalesce(p_sso, '{}');
	IF p_sso ? 'sso_required' AND (p_sso->>'sso_required')::boolean <>
	    o.sso_required THEN
		v_changes := v_changes || jsonb_build_object('sso_required',
		    p_sso->'sso_required');
	END IF;
	IF p_sso ? 'sso_min_acr' AND (p_sso->>'sso_min_acr') IS DISTINCT FROM
	    o.sso_min_acr THEN
		v_changes := v_changes || jsonb_build_object('sso_min_acr',
		    jsonb_build_object('old', o.sso_min_acr, 'new',
		    p_sso->'sso_min_acr'));
	END IF;
	UPDATE offices SET name = coalesce(p_name, name),
	    sso_required = coalesce((p_sso->>'sso_required')::boolean,
	        sso_required),
	    sso_min_acr = CASE WHEN p_sso ? 'sso_min_acr'
	        THEN p_sso->>'sso_min_acr' ELSE sso_min_acr END,
	    target_days = coalesce(p_target_days, target_days),
	    retention_years = CASE WHEN p_retention_set THEN p_retention
	        ELSE retention_years END,
	    coroner_area = CASE WHEN p_area_set THEN p_area
	        ELSE coroner_area END,
	    version = version + 1, updated_at = now()
	WHERE id = o.id RETURNING * INTO o;
	PERFORM security_log('office_changed', c.username, c.office_code,
	    o.code, p_address, v_changes);
	RETURN NEXT api_ok(200, office_json(o), o.version);
END
$$;

-- The previous release's call, without the single sign-on fields.  Kept
-- for instances still on that release during a rolling upgrade (and the
-- office page's call); drop it in the release after.
CREATE OR REPLACE FUNCTION api_office_patch(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_code text,
    p_if_match integer, p_name text, p_target_days integer,
    p_fields jsonb, p_retention_set boolean, p_retention integer,
    p_area_set boolean, p_area text)
RETURNS SETOF api_result LANGUAGE sql AS $$
	SELECT * FROM api_office_patch(p_jti, p_sub, p_role, p_office, p_csrf,
	    p_address, p_code, p_if_match, p_name, p_target_days, p_fields,
	    p_retention_set, p_retention, p_area_set, p_area, NULL::jsonb)
$$;

-- The call of two releases ago, without coroner_area.  Kept for
-- instances still on that release during a rolling upgrade; drop it in
-- the release after.
CREATE OR REPLACE FUNCTION api_office_patch(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_code text,
    p_if_match integer, p_name text, p_target_days integer,
    p_fields jsonb, p_retention_set boolean, p_retention integer)
RETURNS SETOF api_result LANGUAGE sql AS $$
	SELECT * FROM api_office_patch(p_jti, p_sub, p_role, p_office, p_csrf,
	    p_address, p_code, p_if_match, p_name, p_target_days, p_fields,
	    p_retention_set, p_retention, false, NULL, NULL::jsonb)
$$;

-- The call of the release before, without retention_years.  Kept for
-- instances still on that release during a rolling upgrade; drop it in
-- the release after.
CREATE OR REPLACE FUNCTION api_office_patch(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_code text,
    p_if_match integer, p_name text, p_target_days integer,
    p_fields jsonb)
RETURNS SETOF api_result LANGUAGE sql AS $$
	SELECT * FROM api_office_patch(p_jti, p_sub, p_role, p_office, p_csrf,
	    p_address, p_code, p_if_match, p_name, p_target_days, p_fields,
	    false, NULL, false, NULL, NULL::jsonb)
$$;

-- A PATCH of a user or an office whose body is refused (p_error: a
-- body the C side could not read, {"$error": {...}}, or the fields of
-- a 422): answered only after 404, 403, 428 and 412, as API.md orders
-- the checks (issue 19), and nothing is changed.  The lookups are
-- api_user_patch's and api_office_patch's.
CREATE OR REPLACE FUNCTION api_admin_patch_refusal(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_kind text,
    p_key text, p_if_match integer, p_error jsonb)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v_version integer;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF p_kind = 'user' THEN
		SELECT version INTO v_version FROM users
		WHERE username = p_key
		  AND (c.role = 'admin' OR office_id = c.office_id);
		IF NOT FOUND THEN
			RETURN NEXT api_error(404, 'not_found',
			    'There is no such user.');
			RETURN;
		END IF;
	END IF;
	IF c.role <> 'admin' THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Only an admin may change ' || p_kind || 's.');
		RETURN;
	END IF;
	IF p_kind = 'office' THEN
		SELECT version INTO v_version FROM offices WHERE code = p_key;
		IF NOT FOUND THEN
			RETURN NEXT api_error(404, 'not_found',
			    'There is no such office.');
			RETURN;
		END IF;
	END IF;
	IF p_error ? '$error'
	    AND (p_error->'$error'->>'status')::integer = 415 THEN
		RETURN NEXT body_refusal(p_error);
		RETURN;
	END IF;
	IF p_if_match IS NULL THEN
		RETURN NEXT api_error(428, 'precondition_required',
		    'Send If-Match with the version you last read.');
		RETURN;
	END IF;
	IF p_if_match <> v_version THEN
		RETURN NEXT api_error(412, 'version_mismatch',
		    'This ' || p_kind || ' was changed since you read it; reload and try again.');
		RETURN;
	END IF;
	IF p_error ? '$error' THEN
		RETURN NEXT body_refusal(p_error);
		RETURN;
	END IF;
	RETURN NEXT api_error(422, 'validation_failed',
	    'Some fields are missing or not valid; see fields.', p_error);
END
$$;
