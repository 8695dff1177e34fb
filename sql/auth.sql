-- Signing in and out, and the check of a token's session that every
-- api_* function starts with (auth_check, auth_refusal).

-- Checks a token that passed its signature and claims checks in C
-- against its session: not revoked or expired, not older than
-- medex.session_max seconds since the password was checked, not unused
-- for medex.session_idle seconds (both set on the server's connections
-- by scripts/configure.sh; defaults 43200 and 1800), the user not
-- disabled, and role and office still those of the user.  p_csrf is NULL
-- when no CSRF token is needed (bearer, or a safe method), else what the
-- client sent ('' when nothing).  Sets medex.office_id for row-level
-- security for the rest of this statement's transaction.
--
-- last_seen is written at most once a minute per session, so the read
-- path pays for one small UPDATE a minute, not one a request; the idle
-- timeout is therefore exact to within that minute.
--
-- A session signed in with a one-time password (set by an admin: the
-- session row's password_change_required) gets the outcome
-- 'password_change_required' once everything else passed: every api_*
-- function refuses it (auth_refusal: 403), and only those that let the
-- user change the password (api_me, api_logout, api_refresh,
-- password_change_begin, api_password_change) accept it.
--
-- Likewise a session of a user whose role must use a second factor and
-- who had none at sign-in (the session row's otp_enrolment_required,
-- see login_record) gets 'otp_enrolment_required': only api_me,
-- api_logout, api_refresh and the enrolment (sql/otp.sql) accept it.
-- A one-time password comes first: its change, then the enrolment.
CREATE OR REPLACE FUNCTION auth_check(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text)
RETURNS auth_ctx LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx;
	v_csrf	text;
	v_seen	timestamptz;
	v_once	boolean;
	v_enrol	boolean;
BEGIN
	-- The context row-level security reads comes from the session
	-- found here, never from what the caller set before the call
	-- (medex_app may run set_config() itself): the export's switch
	-- is off until an export function turns it on after its checks.
	PERFORM set_config('medex.export', 'off', true);
	PERFORM set_config('medex.office_id', '0', true);
	PERFORM set_config('medex.user_id', '0', true);
	SELECT 'ok', u.id, u.username, u.display_name, u.role, o.id, o.code,
	    s.csrf, coalesce(s.last_seen, s.issued_at),
	    s.password_change_required, s.otp_enrolment_required
	INTO c.outcome, c.user_id, c.username, c.display_name, c.role,
	    c.office_id, c.office_code, v_csrf, v_seen, v_once, v_enrol
	FROM sessions s
	JOIN users u ON u.id = s.user_id
	JOIN offices o ON o.id = u.office_id
	WHERE s.jti = p_jti AND s.revoked_at IS NULL AND s.expires_at > now()
	  AND coalesce(s.auth_time, s.issued_at) > now() -
	      session_setting('medex.session_max', 43200)
	  AND coalesce(s.last_seen, s.issued_at) > now() -
	      session_setting('medex.session_idle', 1800)
	  AND u.username = p_sub AND NOT u.disabled
	  AND u.role = p_role AND o.code = p_office;
	IF NOT FOUND THEN
		PERFORM token_refused_log(p_sub, p_office, p_address,
		    'session');
		c.outcome := 'unauthenticated';
		RETURN c;
	END IF;
	IF p_csrf IS NOT NULL AND p_csrf IS DISTINCT FROM v_csrf THEN
		PERFORM security_log('csrf_refused', c.username, c.office_code,
		    NULL, p_address);
		c.outcome := 'csrf_failed';
		RETURN c;
	END IF;
	IF v_seen < now() - interval '1 minute' THEN
		UPDATE sessions SET last_seen = now() WHERE jti = p_jti;
	END IF;
	PERFORM set_config('medex.office_id', c.office_id::text, true);
	PERFORM set_config('medex.user_id', c.user_id::text, true);
	IF v_once THEN
		c.outcome := 'password_change_required';
	ELSIF v_enrol THEN
		c.outcome := 'otp_enrolment_required';
	END IF;
	RETURN c;
END
$$;

-- A session limit: the instance's policy (instance_policy, set by the
-- owner through medexctl migrate, migration 0029), or the connection's
-- setting when that is smaller (an instance may be stricter, never
-- laxer: the server's connection is not trusted to lengthen sessions).
-- p_default only when the policy row is missing.
CREATE OR REPLACE FUNCTION session_setting(p_name text, p_default integer)
RETURNS interval LANGUAGE plpgsql STABLE AS $$
DECLARE
	v	text := current_setting(p_name, true);
	v_cap	integer;
BEGIN
	SELECT CASE p_name WHEN 'medex.session_max' THEN p.session_max
	    WHEN 'medex.session_idle' THEN p.session_idle END
	INTO v_cap FROM instance_policy p;
	v_cap := coalesce(v_cap, p_default);
	IF v IS NULL OR v !~ '^[0-9]{1,9}$' OR v::integer >= v_cap THEN
		RETURN v_cap * interval '1 second';
	END IF;
	RETURN v::integer * interval '1 second';
END
$$;

-- Whether a role must use two-step sign-in: listed in the instance's
-- policy or in the connection's medex.mfa_required_roles (which may
-- add roles, never remove one).
CREATE OR REPLACE FUNCTION mfa_required(p_role text)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT p_role = ANY (coalesce((SELECT mfa_required_roles
	    FROM instance_policy), '{}'))
	    OR p_role = ANY (string_to_array(replace(coalesce(
	    current_setting('medex.mfa_required_roles', true), ''), ' ', ''),
	    ','))
$$;

-- medexctl migrate: the policy from medexctl.ini (NULL: keep what is
-- there).  Owner only (not an entry point).  Raises on a value out of
-- range or an unknown role, so that a typo is not a weaker policy.
CREATE OR REPLACE FUNCTION instance_policy_set(p_session_max text,
    p_session_idle text, p_mfa_roles text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_roles	text[];
	v_bad	text;
BEGIN
	IF p_mfa_roles IS NOT NULL THEN
		SELECT coalesce(array_agg(r ORDER BY r), '{}') INTO v_roles
		FROM unnest(string_to_array(replace(p_mfa_roles, ' ', ''), ','))
		    r WHERE r <> '';
		SELECT string_agg(r, ', ') INTO v_bad FROM unnest(v_roles) r
		WHERE r NOT IN ('medical_examiner', 'lead_medical_examiner',
		    'officer', 'liaison_officer', 'analyst', 'national_analyst',
		    'admin');
		IF v_bad IS NOT NULL THEN
			RAISE EXCEPTION 'mfa_required_roles: unknown role %', v_bad;
		END IF;
	END IF;
	UPDATE instance_policy SET
	    session_max = coalesce(nullif(p_session_max, '')::integer,
	    session_max),
	    session_idle = coalesce(nullif(p_session_idle, '')::integer,
	    session_idle),
	    mfa_required_roles = coalesce(v_roles, mfa_required_roles),
	    updated_at = now();
END
$$;

-- A request refused for its token: counted per client address and
-- minute in token_refusals, and written to the security log once per
-- address and minute (the first refusal, with its reason), so that
-- requests without a token cannot flood the append-only log.  Each new
-- minute's row also removes the counts older than 90 days.
CREATE OR REPLACE FUNCTION token_refused_log(p_actor text, p_office text,
    p_address text, p_reason text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_first	boolean;
BEGIN
	INSERT INTO token_refusals AS t (address, minute)
	VALUES (coalesce(p_address, ''), date_trunc('minute', now()))
	ON CONFLICT (address, minute) DO UPDATE SET count = t.count + 1
	RETURNING (t.xmax = 0) INTO v_first;
	IF v_first THEN
		DELETE FROM token_refusals
		WHERE minute < now() - interval '90 days';
	END IF;
	-- A token of a known user (its signature checked) refused, e.g.
	-- after logout, is evidence about that user: one row per user,
	-- address and minute, beside the address's first of the minute.
	IF v_first OR (p_actor IS NOT NULL AND NOT EXISTS (
	    SELECT 1 FROM security_events
	    WHERE actor = p_actor AND action = 'token_refused'
	      AND address IS NOT DISTINCT FROM p_address
	      AND at >= date_trunc('minute', now()))) THEN
		PERFORM security_log('token_refused', p_actor, p_office, NULL,
		    p_address, jsonb_build_object('reason', p_reason,
		    'counted_in', 'token_refusals'));
	END IF;
END
$$;

-- The answer for a context that is not ok, or NULL when it is.
--
-- STABLE, not IMMUTABLE, so that it is inlined (see rfc3339).
CREATE OR REPLACE FUNCTION auth_refusal(c auth_ctx)
RETURNS api_result LANGUAGE sql STABLE AS $$
	SELECT CASE c.outcome
	WHEN 'ok' THEN NULL
	WHEN 'password_change_required' THEN api_error(403,
	    'password_change_required',
	    'Your password was set by an admin and works once: change it (POST /api/v1/me/password) before you go on.')
	WHEN 'otp_enrolment_required' THEN api_error(403,
	    'otp_enrolment_required',
	    'Your role must use two-step sign-in: set it up (POST /api/v1/me/otp) before you go on.')
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
	    'display_name', u.display_name, 'role', u.role, 'office', o.code,
	    'password_change_required', u.password_change_required,
	    'otp_enabled', EXISTS (SELECT 1 FROM user_otp t
	        WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL))
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
	IF c.outcome NOT IN ('ok', 'password_change_required',
	    'otp_enrolment_required') THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	RETURN NEXT api_ok(200, user_json(c.user_id) || jsonb_build_object(
	    'otp_enrolment_required', (SELECT s.otp_enrolment_required
	    FROM sessions s WHERE s.jti = p_jti)));
END
$$;

-- login_begin and login_finish are the previous release's login (they
-- count failures only after the hash, so a parallel burst passed them:
-- issue #20).  Kept for instances still on that release during a
-- rolling upgrade; drop them in the release after (login_reserve and
-- login_record replace them).
--
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

-- Login, step 1 (docs/api.md "Throttling"): may a password be checked
-- now for this username from this address?  If so, the attempt is
-- reserved (a login_attempts row, outcome NULL) in the same statement
-- as the check, under transaction advisory locks on the username and on
-- the address, so parallel requests are counted one after the other and
-- a burst cannot pass the check before any of it is counted.  Counted in
-- the last 15 minutes, attempts not ok, not shed, not otp_required
-- (the right password without the second factor's code: no failure)
-- and not sso_required (the right password of an office that signs in
-- with single sign-on),
-- so pending ones too:
--   a password of this username being checked now   -> retry after 1 s
--   5 for (username, address) since its last success -> 429
--   20 for the username, from any address             -> 429
--   20 from the address, for any username             -> 429
-- One address alone can thus never lock a user out (its bucket stops it
-- at 5), nor other addresses.  A disabled or unknown user gets no hash
-- (the C side then verifies against a dummy, so both cost the same).
-- otp_secret: the user's TOTP secret when the second factor is on, for
-- the C side to check the code with (app/core/totp.c); never sent on.
CREATE OR REPLACE FUNCTION login_reserve(p_username text, p_address text,
    OUT retry_after integer, OUT attempt_id bigint, OUT user_id bigint,
    OUT password_hash text, OUT role text, OUT office text,
    OUT otp_secret text)
LANGUAGE plpgsql AS $$
DECLARE
	v_since		timestamptz := now() - interval '15 minutes';
	v_reset		timestamptz;
	v_n		integer;
	v_oldest	timestamptz;
	v_by		text;
BEGIN
	-- Always the username's lock before the address's: no deadlock.
	PERFORM pg_advisory_xact_lock(20, hashtext(p_username));
	PERFORM pg_advisory_xact_lock(21, hashtext(p_address));
	retry_after := 0;
	-- A pending attempt older than a minute is a lost request: it
	-- counts as a failure below but no longer blocks.
	IF EXISTS (SELECT 1 FROM login_attempts a
	    WHERE a.username = p_username AND a.outcome IS NULL
	      AND a.at > now() - interval '1 minute') THEN
		retry_after := 1;
		v_by := 'in_flight';
	END IF;
	IF v_by IS NULL THEN
		SELECT max(a.at) INTO v_reset FROM login_attempts a
		WHERE a.username = p_username AND a.address = p_address
		  AND a.outcome = 'ok' AND a.at > v_since;
		SELECT count(*), min(a.at) INTO v_n, v_oldest
		FROM login_attempts a
		WHERE a.username = p_username AND a.address = p_address
		  AND a.at > greatest(v_since, v_reset)
		  AND coalesce(a.outcome, '') NOT IN ('ok', 'shed',
		      'otp_required', 'sso_required');
		IF v_n >= 5 THEN
			v_by := 'username_address';
		END IF;
	END IF;
	IF v_by IS NULL THEN
		SELECT count(*), min(a.at) INTO v_n, v_oldest
		FROM login_attempts a
		WHERE a.username = p_username AND a.at > v_since
		  AND coalesce(a.outcome, '') NOT IN ('ok', 'shed',
		      'otp_required', 'sso_required');
		IF v_n >= 20 THEN
			v_by := 'username';
		END IF;
	END IF;
	IF v_by IS NULL THEN
		SELECT count(*), min(a.at) INTO v_n, v_oldest
		FROM login_attempts a
		WHERE a.address = p_address AND a.at > v_since
		  AND coalesce(a.outcome, '') NOT IN ('ok', 'shed',
		      'otp_required', 'sso_required');
		IF v_n >= 20 THEN
			v_by := 'address';
		END IF;
	END IF;
	IF v_by IS NOT NULL THEN
		IF v_by <> 'in_flight' THEN
			retry_after := greatest(1, ceil(extract(epoch FROM
			    v_oldest + interval '15 minutes' - now())))::integer;
		END IF;
		PERFORM security_log('login_throttled', p_username, NULL,
		    NULL, p_address, jsonb_build_object('by', v_by));
		RETURN;
	END IF;
	INSERT INTO login_attempts (username, address)
	VALUES (p_username, p_address)
	RETURNING id INTO attempt_id;
	SELECT u.id, u.password_hash, u.role, o.code, t.secret
	INTO user_id, password_hash, role, office, otp_secret
	FROM users u JOIN offices o ON o.id = u.office_id
	LEFT JOIN user_otp t ON t.user_id = u.id
	    AND t.confirmed_at IS NOT NULL
	WHERE u.username = p_username AND NOT u.disabled;
END
$$;

-- Login, step 2, after the password was checked in a Kore task: settles
-- the attempt that login_reserve made.  p_ok NULL: no hash was run (the
-- server's cap on hashes in flight), the attempt is 'shed' and not
-- counted, and the answer is 503.  Nothing is deleted on success.
--
-- The second factor, once the password is right (docs/api.md "Two-step
-- sign-in"): p_otp is what the client sent as "otp", normalised (NULL:
-- nothing), p_otp_step the time step its code matched in C (NULL: not
-- a current code).  login_otp_check (sql/otp.sql) decides; without a
-- code the answer is 401 otp_required and the attempt 'otp_required'
-- (not counted), a wrong or replayed code is 401 otp_invalid, counted
-- as a failure.  A user without it whose role is in the connection's
-- medex.mfa_required_roles gets a session limited to enrolment.
CREATE OR REPLACE FUNCTION login_record(p_attempt bigint, p_username text,
    p_address text, p_user_id bigint, p_ok boolean, p_jti text,
    p_csrf text, p_expires bigint, p_token text, p_lifetime integer,
    p_auth_time bigint, p_otp text, p_otp_step bigint)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	v_office	text;
	v_role		text;
	v_otp		text;
	v_enrol		boolean;
BEGIN
	IF p_ok IS NULL THEN
		UPDATE login_attempts SET outcome = 'shed', finished_at = now()
		WHERE id = p_attempt AND outcome IS NULL;
		RETURN NEXT api_error(503, 'unavailable',
		    'Too many sign-ins are being checked; try again in a few seconds.');
		RETURN;
	END IF;
	IF p_ok AND p_user_id IS NOT NULL THEN
		SELECT o.code, u.role INTO v_office, v_role FROM users u
		JOIN offices o ON o.id = u.office_id
		WHERE u.id = p_user_id AND NOT u.disabled;
	END IF;
	IF v_office IS NULL THEN
		UPDATE login_attempts SET outcome = 'failed',
		    finished_at = now()
		WHERE id = p_attempt AND outcome IS NULL;
		PERFORM security_log('login_failed', p_username, NULL, NULL,
		    p_address);
		RETURN NEXT api_error(401, 'invalid_credentials',
		    'The username or password is not right.');
		RETURN;
	END IF;
	-- The office signs in with single sign-on (issue 24): the right
	-- password of one of its users is refused, not counted as a
	-- failure, unless the user is its break-glass account.
	IF EXISTS (SELECT 1 FROM users u JOIN offices o ON o.id = u.office_id
	    WHERE u.id = p_user_id AND o.sso_required AND NOT u.break_glass)
	    THEN
		UPDATE login_attempts SET outcome = 'sso_required',
		    finished_at = now()
		WHERE id = p_attempt AND outcome IS NULL;
		PERFORM security_log('login_refused', p_username, v_office,
		    NULL, p_address, jsonb_build_object('reason',
		    'sso_required'));
		RETURN NEXT api_error(403, 'sso_required',
		    'Your office signs in with single sign-on: use "Sign in with your organisation account" instead of a password.');
		RETURN;
	END IF;
	v_otp := login_otp_check(p_user_id, p_otp, p_otp_step);
	IF v_otp = 'required' THEN
		UPDATE login_attempts SET outcome = 'otp_required',
		    finished_at = now()
		WHERE id = p_attempt AND outcome IS NULL;
		PERFORM security_log('login_otp_required', p_username,
		    v_office, NULL, p_address);
		RETURN NEXT api_error(401, 'otp_required',
		    'Enter the security code from your authenticator app (or a recovery code) as well.');
		RETURN;
	END IF;
	IF v_otp IN ('invalid', 'reused') THEN
		UPDATE login_attempts SET outcome = 'failed',
		    finished_at = now()
		WHERE id = p_attempt AND outcome IS NULL;
		PERFORM security_log('login_otp_failed', p_username, v_office,
		    NULL, p_address, jsonb_build_object('reason', v_otp));
		RETURN NEXT api_error(401, 'otp_invalid',
		    'The security code is not right, or has been used already: wait for the next one.');
		RETURN;
	END IF;
	v_enrol := v_otp = 'off' AND mfa_required(v_role);
	UPDATE login_attempts SET outcome = 'ok', finished_at = now()
	WHERE id = p_attempt AND outcome IS NULL;
	INSERT INTO sessions (jti, user_id, csrf, expires_at, auth_time,
	    last_seen, password_change_required, otp_enrolment_required)
	SELECT p_jti, p_user_id, p_csrf, to_timestamp(p_expires),
	    to_timestamp(p_auth_time), now(), u.password_change_required,
	    v_enrol
	FROM users u WHERE u.id = p_user_id;
	PERFORM security_log('login', p_username, v_office, NULL, p_address,
	    jsonb_build_object('otp', v_otp) || CASE WHEN v_enrol THEN
	    jsonb_build_object('otp_enrolment_required', true)
	    ELSE '{}'::jsonb END);
	RETURN NEXT api_ok(200, jsonb_build_object('token', p_token,
	    'token_type', 'Bearer', 'expires_in', p_lifetime,
	    'csrf_token', p_csrf, 'user', user_json(p_user_id) ||
	    jsonb_build_object('otp_enrolment_required', v_enrol)));
END
$$;

-- The previous release's login_record (no second factor), kept for its
-- instances during a rolling upgrade; drop it in the release after.  A
-- user with the second factor on gets 401 otp_required from it.
CREATE OR REPLACE FUNCTION login_record(p_attempt bigint, p_username text,
    p_address text, p_user_id bigint, p_ok boolean, p_jti text,
    p_csrf text, p_expires bigint, p_token text, p_lifetime integer,
    p_auth_time bigint)
RETURNS SETOF api_result LANGUAGE sql AS $$
	SELECT * FROM login_record(p_attempt, p_username, p_address,
	    p_user_id, p_ok, p_jti, p_csrf, p_expires, p_token, p_lifetime,
	    p_auth_time, NULL::text, NULL::bigint)
$$;

CREATE OR REPLACE FUNCTION api_logout(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
BEGIN
	IF c.outcome NOT IN ('ok', 'password_change_required',
	    'otp_enrolment_required') THEN
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
-- with the user's current role and office) takes its place.  The new
-- session keeps the old one's auth_time, so medex.session_max counts
-- from the password check however often the token is refreshed (and
-- auth_check refuses a refresh past it: 401).  The C side puts the same
-- auth_time in the new token and ends its exp no later than that limit.
CREATE OR REPLACE FUNCTION api_refresh(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_new_jti text,
    p_new_csrf text, p_expires bigint, p_token text, p_lifetime integer)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c		auth_ctx := auth_check(p_jti, p_sub, p_role, p_office,
			    p_csrf, p_address);
	v_auth_time	timestamptz;
	v_once		boolean;
	v_enrol		boolean;
BEGIN
	IF c.outcome NOT IN ('ok', 'password_change_required',
	    'otp_enrolment_required') THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	UPDATE sessions SET revoked_at = now() WHERE jti = p_jti
	RETURNING coalesce(auth_time, issued_at), password_change_required,
	    otp_enrolment_required
	INTO v_auth_time, v_once, v_enrol;
	INSERT INTO sessions (jti, user_id, csrf, expires_at, auth_time,
	    last_seen, password_change_required, otp_enrolment_required)
	VALUES (p_new_jti, c.user_id, p_new_csrf, to_timestamp(p_expires),
	    v_auth_time, now(), v_once, v_enrol);
	PERFORM security_log('refresh', c.username, c.office_code, NULL,
	    p_address);
	RETURN NEXT api_ok(200, jsonb_build_object('token', p_token,
	    'token_type', 'Bearer', 'expires_in', p_lifetime,
	    'csrf_token', p_new_csrf, 'user', user_json(c.user_id)));
END
$$;

-- Before work that costs (a password hash for PATCH /api/v1/users/...):
-- is the token's session live?  204 when it is, else the refusal (401,
-- or 403 csrf_failed).  The work's own api_* call checks again.
CREATE OR REPLACE FUNCTION api_session_ok(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	RETURN NEXT ROW(204, '', NULL, NULL)::api_result;
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
	IF c.outcome NOT IN ('ok', 'password_change_required') THEN
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
-- stays, and is an ordinary session from now on (a one-time password
-- set by an admin is spent: password_change_required cleared).
CREATE OR REPLACE FUNCTION api_password_change(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text,
    p_ok boolean, p_new_hash text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v_ended	integer;
BEGIN
	IF c.outcome NOT IN ('ok', 'password_change_required') THEN
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
	    password_change_required = false, updated_at = now()
	WHERE id = c.user_id;
	UPDATE sessions SET revoked_at = now()
	WHERE user_id = c.user_id AND jti <> p_jti AND revoked_at IS NULL;
	GET DIAGNOSTICS v_ended = ROW_COUNT;
	UPDATE sessions SET password_change_required = false
	WHERE jti = p_jti;
	PERFORM security_log('password_changed', c.username, c.office_code,
	    c.username, p_address, jsonb_build_object('sessions_ended',
	    v_ended));
	RETURN NEXT ROW(204, '', NULL, NULL)::api_result;
END
$$;
