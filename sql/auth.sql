-- Signing in and out, and the check of a token's session that every
-- api_* function starts with (auth_check, auth_refusal).

-- Checks a token that passed its signature and claims checks in C
-- against its session: not revoked or expired, the user not disabled,
-- and role and office still those of the user.  p_csrf is NULL when no
-- CSRF token is needed (bearer, or a safe method), else what the client
-- sent ('' when nothing).  Sets medex.office_id for row-level security
-- for the rest of this statement's transaction.
CREATE OR REPLACE FUNCTION auth_check(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text)
RETURNS auth_ctx LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx;
	v_csrf	text;
BEGIN
	SELECT 'ok', u.id, u.username, u.display_name, u.role, o.id, o.code,
	    s.csrf
	INTO c.outcome, c.user_id, c.username, c.display_name, c.role,
	    c.office_id, c.office_code, v_csrf
	FROM sessions s
	JOIN users u ON u.id = s.user_id
	JOIN offices o ON o.id = u.office_id
	WHERE s.jti = p_jti AND s.revoked_at IS NULL AND s.expires_at > now()
	  AND u.username = p_sub AND NOT u.disabled
	  AND u.role = p_role AND o.code = p_office;
	IF NOT FOUND THEN
		PERFORM security_log('token_refused', p_sub, p_office, NULL,
		    p_address, jsonb_build_object('reason', 'session'));
		c.outcome := 'unauthenticated';
		RETURN c;
	END IF;
	IF p_csrf IS NOT NULL AND p_csrf IS DISTINCT FROM v_csrf THEN
		PERFORM security_log('csrf_refused', c.username, c.office_code,
		    NULL, p_address);
		c.outcome := 'csrf_failed';
		RETURN c;
	END IF;
	PERFORM set_config('medex.office_id', c.office_id::text, true);
	PERFORM set_config('medex.user_id', c.user_id::text, true);
	RETURN c;
END
$$;

-- The answer for a context that is not ok, or NULL when it is.
--
-- STABLE, not IMMUTABLE, so that it is inlined (see rfc3339).
CREATE OR REPLACE FUNCTION auth_refusal(c auth_ctx)
RETURNS api_result LANGUAGE sql STABLE AS $$
	SELECT CASE c.outcome
	WHEN 'ok' THEN NULL
	WHEN 'csrf_failed' THEN api_error(403, 'csrf_failed',
	    'This form or request is missing its CSRF token; reload the page and try again.')
	ELSE api_error(401, 'unauthenticated',
	    'Your session has ended or is not valid; sign in again.')
	END
$$;

-- PL/pgSQL rather than SQL, so that its plans are kept for the life of
-- the connection (see case_json).
CREATE OR REPLACE FUNCTION user_json(p_user_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT jsonb_build_object('username', u.username,
	    'display_name', u.display_name, 'role', u.role, 'office', o.code)
	    FROM users u JOIN offices o ON o.id = u.office_id
	    WHERE u.id = p_user_id);
END
$$;

-- A route the role may not use: 401 if the token's session is not
-- valid, else 403.  (API.md: 401 comes before 403.)
CREATE OR REPLACE FUNCTION api_deny(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, NULL,
		    p_address);
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	PERFORM security_log('forbidden', c.username, c.office_code, NULL,
	    p_address);
	RETURN NEXT api_error(403, 'forbidden',
	    'Your role may not do this.');
END
$$;

CREATE OR REPLACE FUNCTION api_me(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	RETURN NEXT api_ok(200, user_json(c.user_id));
END
$$;

-- Login, step 1: is this username or address throttled, and whose hash
-- is to be checked?  A disabled or unknown user gets no hash (the C side
-- then verifies against a dummy, so both cost the same time).
CREATE OR REPLACE FUNCTION login_begin(p_username text, p_address text,
    OUT retry_after integer, OUT user_id bigint, OUT password_hash text,
    OUT role text, OUT office text)
LANGUAGE plpgsql AS $$
DECLARE
	v_user_fail	integer;
	v_addr_fail	integer;
	v_oldest	timestamptz;
BEGIN
	SELECT count(*), min(at) INTO v_user_fail, v_oldest
	FROM (SELECT at FROM login_failures
	      WHERE username = p_username AND at > now() - interval '15 minutes'
	      ORDER BY at DESC LIMIT 5) f;
	IF v_user_fail >= 5 THEN
		retry_after := greatest(1, ceil(extract(epoch FROM
		    v_oldest + interval '15 minutes' - now())))::integer;
		PERFORM security_log('login_throttled', p_username, NULL,
		    NULL, p_address, jsonb_build_object('by', 'username'));
		RETURN;
	END IF;
	SELECT count(*), min(at) INTO v_addr_fail, v_oldest
	FROM (SELECT at FROM login_failures
	      WHERE address = p_address AND at > now() - interval '15 minutes'
	      ORDER BY at DESC LIMIT 20) f;
	IF v_addr_fail >= 20 THEN
		retry_after := greatest(1, ceil(extract(epoch FROM
		    v_oldest + interval '15 minutes' - now())))::integer;
		PERFORM security_log('login_throttled', p_username, NULL,
		    NULL, p_address, jsonb_build_object('by', 'address'));
		RETURN;
	END IF;
	retry_after := 0;
	SELECT u.id, u.password_hash, u.role, o.code
	INTO user_id, password_hash, role, office
	FROM users u JOIN offices o ON o.id = u.office_id
	WHERE u.username = p_username AND NOT u.disabled;
END
$$;

-- Login, step 2, after the password was checked in a Kore task.
CREATE OR REPLACE FUNCTION login_finish(p_username text, p_address text,
    p_user_id bigint, p_ok boolean, p_jti text, p_csrf text,
    p_expires bigint, p_token text, p_lifetime integer)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	v_office	text;
BEGIN
	IF NOT p_ok OR p_user_id IS NULL THEN
		INSERT INTO login_failures (username, address)
		VALUES (p_username, p_address);
		PERFORM security_log('login_failed', p_username, NULL, NULL,
		    p_address);
		RETURN NEXT api_error(401, 'invalid_credentials',
		    'The username or password is not right.');
		RETURN;
	END IF;
	SELECT o.code INTO v_office FROM users u
	JOIN offices o ON o.id = u.office_id
	WHERE u.id = p_user_id AND NOT u.disabled;
	IF NOT FOUND THEN
		RETURN NEXT api_error(401, 'invalid_credentials',
		    'The username or password is not right.');
		RETURN;
	END IF;
	INSERT INTO sessions (jti, user_id, csrf, expires_at)
	VALUES (p_jti, p_user_id, p_csrf, to_timestamp(p_expires));
	DELETE FROM login_failures WHERE username = p_username;
	PERFORM security_log('login', p_username, v_office, NULL, p_address);
	RETURN NEXT api_ok(200, jsonb_build_object('token', p_token,
	    'token_type', 'Bearer', 'expires_in', p_lifetime,
	    'csrf_token', p_csrf, 'user', user_json(p_user_id)));
END
$$;

CREATE OR REPLACE FUNCTION api_logout(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	UPDATE sessions SET revoked_at = now() WHERE jti = p_jti;
	PERFORM security_log('logout', c.username, c.office_code, NULL,
	    p_address);
	RETURN NEXT ROW(204, '', NULL, NULL)::api_result;
END
$$;

-- Refresh: the old token is revoked and a new one (made by the C side
-- with the user's current role and office) takes its place.
CREATE OR REPLACE FUNCTION api_refresh(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_new_jti text,
    p_new_csrf text, p_expires bigint, p_token text, p_lifetime integer)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	UPDATE sessions SET revoked_at = now() WHERE jti = p_jti;
	INSERT INTO sessions (jti, user_id, csrf, expires_at)
	VALUES (p_new_jti, c.user_id, p_new_csrf, to_timestamp(p_expires));
	PERFORM security_log('refresh', c.username, c.office_code, NULL,
	    p_address);
	RETURN NEXT api_ok(200, jsonb_build_object('token', p_token,
	    'token_type', 'Bearer', 'expires_in', p_lifetime,
	    'csrf_token', p_new_csrf, 'user', user_json(c.user_id)));
END
$$;

-- Changing one's own password (POST /api/v1/me/password), step 1: the
-- session check, then the user's hash for the C side to verify the
-- current password against (in a Kore task, like login).  status 0 is
-- "go on"; anything else is the answer (body as api_result's).
CREATE OR REPLACE FUNCTION password_change_begin(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text,
    OUT status integer, OUT body text, OUT etag integer,
    OUT location text, OUT password_hash text)
LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	r	api_result;
BEGIN
	IF c.outcome <> 'ok' THEN
		r := auth_refusal(c);
		status := r.status;
		body := r.body;
		RETURN;
	END IF;
	status := 0;
	SELECT u.password_hash INTO password_hash FROM users u
	WHERE u.id = c.user_id;
END
$$;

-- Step 2, after the task: p_ok says whether the current password was
-- right, p_new_hash is the new one's hash.  The session is checked
-- again (it may have ended while the hash ran).  A wrong current
-- password is 422 on current_password (not 401: the session is fine,
-- and a 401 tells clients to sign in again) and is logged; a right one
-- sets the hash and ends every other session of the user; this one
-- stays.
CREATE OR REPLACE FUNCTION api_password_change(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text,
    p_ok boolean, p_new_hash text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v_ended	integer;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF NOT p_ok OR p_new_hash IS NULL THEN
		PERFORM security_log('password_change_failed', c.username,
		    c.office_code, c.username, p_address);
		RETURN NEXT api_error(422, 'validation_failed',
		    'Check the fields named.', jsonb_build_object(
		    'current_password', 'is not your current password'));
		RETURN;
	END IF;
	UPDATE users SET password_hash = p_new_hash, version = version + 1,
	    updated_at = now()
	WHERE id = c.user_id;
	UPDATE sessions SET revoked_at = now()
	WHERE user_id = c.user_id AND jti <> p_jti AND revoked_at IS NULL;
	GET DIAGNOSTICS v_ended = ROW_COUNT;
	PERFORM security_log('password_changed', c.username, c.office_code,
	    c.username, p_address, jsonb_build_object('sessions_ended',
	    v_ended));
	RETURN NEXT ROW(204, '', NULL, NULL)::api_result;
END
$$;
