-- The second factor (docs/api.md "Two-step sign-in"): enrolment,
-- confirmation and turning it off, and the check at sign-in.  The codes
-- themselves are computed in C (app/core/totp.c, liboath): these take
-- the time step a code matched, or NULL when it matched none.

-- A recovery code's stored form: SHA-256 of its normalised text (lower
-- case, no spaces or hyphens: app/core/totp.c totp_normalize), in hex.
CREATE OR REPLACE FUNCTION otp_recovery_hash(p_code text)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT encode(sha256(convert_to('medex-recovery:' || p_code,
	    'UTF8')), 'hex')
$$;

-- At sign-in, once the password is right: what the second factor says.
--   'off'       the user has none (p_otp is ignored)
--   'required'  it is on and nothing was sent
--   'ok'        a code of a step later than any accepted before
--   'reused'    a right code of a step already used (or earlier)
--   'recovery'  an unused recovery code, now spent
--   'invalid'   anything else
-- The user's row is locked, so two logins with the same code one after
-- the other: the second is 'reused'.
CREATE OR REPLACE FUNCTION login_otp_check(p_user_id bigint, p_otp text,
    p_otp_step bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_last	bigint;
BEGIN
	SELECT last_step INTO v_last FROM user_otp
	WHERE user_id = p_user_id AND confirmed_at IS NOT NULL
	FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'off';
	END IF;
	IF p_otp IS NULL THEN
		RETURN 'required';
	END IF;
	IF p_otp_step IS NOT NULL THEN
		IF p_otp_step <= v_last THEN
			RETURN 'reused';
		END IF;
		UPDATE user_otp SET last_step = p_otp_step
		WHERE user_id = p_user_id;
		RETURN 'ok';
	END IF;
	UPDATE otp_recovery_codes SET used_at = now()
	WHERE user_id = p_user_id AND code_hash = otp_recovery_hash(p_otp)
	  AND used_at IS NULL;
	IF FOUND THEN
		RETURN 'recovery';
	END IF;
	RETURN 'invalid';
END
$$;

-- Wrong codes given to confirm or disable, by this user, in the last
-- 15 minutes: five, and the next is 429 (a stolen session cannot try a
-- million codes to turn the factor off).
CREATE OR REPLACE FUNCTION otp_throttled(p_username text)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT count(*) >= 5 FROM security_events
	WHERE actor = p_username
	  AND action IN ('otp_confirm_failed', 'otp_disable_failed')
	  AND at > now() - interval '15 minutes'
$$;

-- POST /api/v1/me/otp: enrolment starts (again).  The C side made the
-- secret, its otpauth:// URI and the recovery codes; the answer shows
-- them this once, and only the codes' hashes are kept.  A pending
-- enrolment is replaced; one that is on must be turned off first (409).
CREATE OR REPLACE FUNCTION api_otp_start(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text,
    p_secret text, p_uri text, p_codes text[])
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
BEGIN
	IF c.outcome NOT IN ('ok', 'otp_enrolment_required') THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF EXISTS (SELECT 1 FROM user_otp WHERE user_id = c.user_id
	    AND confirmed_at IS NOT NULL) THEN
		RETURN NEXT api_error(409, 'conflict',
		    'Two-step sign-in is on already: turn it off first to set it up again.');
		RETURN;
	END IF;
	INSERT INTO user_otp (user_id, secret)
	VALUES (c.user_id, p_secret)
	ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret,
	    confirmed_at = NULL, last_step = 0, created_at = now();
	DELETE FROM otp_recovery_codes WHERE user_id = c.user_id;
	INSERT INTO otp_recovery_codes (user_id, code_hash)
	SELECT c.user_id, otp_recovery_hash(replace(code, '-', ''))
	FROM unnest(p_codes) AS code;
	PERFORM security_log('otp_enrolment_started', c.username,
	    c.office_code, c.username, p_address);
	RETURN NEXT api_ok(200, jsonb_build_object('secret', p_secret,
	    'otpauth_uri', p_uri, 'recovery_codes', to_jsonb(p_codes)));
END
$$;

-- Confirming or turning off, step 1: the session check, the throttle,
-- and the secret for the C side to check the code against.  status 0 is
-- "go on" (secret set); anything else is the answer (as api_result's).
-- p_purpose 'confirm' needs an enrolment started and not yet on,
-- 'disable' one that is on.
CREATE OR REPLACE FUNCTION otp_begin(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_purpose text,
    OUT status integer, OUT body text, OUT etag integer,
    OUT location text, OUT secret text)
LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	r	api_result;
	v_on	boolean;
BEGIN
	IF c.outcome NOT IN ('ok', 'otp_enrolment_required') OR
	    (p_purpose = 'disable' AND c.outcome <> 'ok') THEN
		r := auth_refusal(c);
	ELSE
		SELECT t.secret, t.confirmed_at IS NOT NULL
		INTO secret, v_on
		FROM user_otp t WHERE t.user_id = c.user_id;
		IF secret IS NULL OR v_on <> (p_purpose = 'disable') THEN
			secret := NULL;
			r := api_error(409, 'conflict', CASE p_purpose
			    WHEN 'disable' THEN 'Two-step sign-in is not on.'
			    ELSE 'Start setting up two-step sign-in first (POST /api/v1/me/otp).'
			    END);
		ELSIF otp_throttled(c.username) THEN
			secret := NULL;
			PERFORM security_log('otp_throttled', c.username,
			    c.office_code, c.username, p_address);
			r := api_error(429, 'too_many_attempts',
			    'Too many wrong codes: wait before trying again.');
		END IF;
	END IF;
	IF r.status IS NOT NULL THEN
		status := r.status;
		body := r.body;
		RETURN;
	END IF;
	status := 0;
END
$$;

-- POST /api/v1/me/otp/confirm, step 2: p_step is the step the code
-- matched against p_secret (the secret step 1 gave: an enrolment
-- started again meanwhile is not confirmed by the old code), NULL when
-- it matched none.  On: every session of the user limited to enrolment
-- is an ordinary one from now on.
CREATE OR REPLACE FUNCTION api_otp_confirm(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text,
    p_secret text, p_step bigint)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
BEGIN
	IF c.outcome NOT IN ('ok', 'otp_enrolment_required') THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF p_step IS NOT NULL THEN
		UPDATE user_otp SET confirmed_at = now(), last_step = p_step
		WHERE user_id = c.user_id AND secret = p_secret
		  AND confirmed_at IS NULL;
	END IF;
	IF p_step IS NULL OR NOT FOUND THEN
		PERFORM security_log('otp_confirm_failed', c.username,
		    c.office_code, c.username, p_address);
		RETURN NEXT api_error(422, 'validation_failed',
		    'Check the fields named.', jsonb_build_object('code',
		    'is not the code your authenticator app shows now'));
		RETURN;
	END IF;
	UPDATE sessions SET otp_enrolment_required = false
	WHERE user_id = c.user_id AND otp_enrolment_required;
	PERFORM security_log('otp_enabled', c.username, c.office_code,
	    c.username, p_address);
	RETURN NEXT ROW(204, '', NULL, NULL)::api_result;
END
$$;

-- POST /api/v1/me/otp/disable, step 2: a current code (p_step, not
-- used before) or an unused recovery code (p_otp) turns it off; the
-- secret and the codes are deleted.  A role that must use it may not
-- (403): it would be limited to enrolment at its next sign-in anyway.
CREATE OR REPLACE FUNCTION api_otp_disable(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text,
    p_otp text, p_step bigint)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v_how	text;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF mfa_required(c.role) THEN
		PERFORM security_log('forbidden', c.username, c.office_code,
		    c.username, p_address, jsonb_build_object('why',
		    'otp_required_for_role'));
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role must use two-step sign-in: it cannot be turned off.');
		RETURN;
	END IF;
	v_how := login_otp_check(c.user_id, p_otp, p_step);
	IF v_how NOT IN ('ok', 'recovery') THEN
		PERFORM security_log('otp_disable_failed', c.username,
		    c.office_code, c.username, p_address,
		    jsonb_build_object('reason', v_how));
		RETURN NEXT api_error(422, 'validation_failed',
		    'Check the fields named.', jsonb_build_object('code',
		    'is not a current code or an unused recovery code'));
		RETURN;
	END IF;
	DELETE FROM otp_recovery_codes WHERE user_id = c.user_id;
	DELETE FROM user_otp WHERE user_id = c.user_id;
	PERFORM security_log('otp_disabled', c.username, c.office_code,
	    c.username, p_address, jsonb_build_object('with', v_how));
	RETURN NEXT ROW(204, '', NULL, NULL)::api_result;
END
$$;
