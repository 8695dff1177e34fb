-- Single sign-on (issue 24; app/http/sso.c, docs/operations.md "Single
-- sign-on").  The C side talks to the provider and checks the ID token;
-- these functions keep the sign-in's secrets between the two requests,
-- map the provider's subject to a medex user and start the session as a
-- password sign-in does (same token, same revocation).  Every refusal
-- is a security_events row ('sso_refused', with its reason), never a
-- session.

-- /auth/sso/start: the sign-in sent to the provider.  Old rows (an hour)
-- go first: sign-ins never finished.
CREATE OR REPLACE FUNCTION sso_begin(p_state_hash text, p_nonce text,
    p_code_verifier text, p_return_to text, p_address text)
RETURNS void LANGUAGE sql AS $$
	DELETE FROM sso_logins WHERE created_at < now() - interval '1 hour';
	INSERT INTO sso_logins (state_hash, nonce, code_verifier, return_to,
	    address)
	VALUES (p_state_hash, p_nonce, p_code_verifier, p_return_to,
	    p_address);
$$;

-- /auth/sso/callback: the sign-in the state names, taken once and
-- within 10 minutes.  refusal: NULL, or 'state_unknown' / 'state_used'
-- / 'state_expired' (logged here).
CREATE OR REPLACE FUNCTION sso_take(p_state_hash text, p_address text,
    OUT refusal text, OUT nonce text, OUT code_verifier text,
    OUT return_to text)
LANGUAGE plpgsql AS $$
DECLARE
	s	sso_logins;
BEGIN
	SELECT * INTO s FROM sso_logins WHERE state_hash = p_state_hash
	    FOR UPDATE;
	IF NOT FOUND THEN
		refusal := 'state_unknown';
	ELSIF s.used_at IS NOT NULL THEN
		refusal := 'state_used';
	ELSIF s.created_at < now() - interval '10 minutes' THEN
		refusal := 'state_expired';
	END IF;
	IF refusal IS NOT NULL THEN
		PERFORM security_log('sso_refused', NULL, NULL, NULL,
		    p_address, jsonb_build_object('reason', refusal));
		RETURN;
	END IF;
	UPDATE sso_logins SET used_at = now()
	WHERE state_hash = p_state_hash;
	nonce := s.nonce;
	code_verifier := s.code_verifier;
	return_to := s.return_to;
END
$$;

-- A refusal found by the C side (the provider's error, the token
-- request, an ID token check): the log row only.
CREATE OR REPLACE FUNCTION sso_refused_log(p_reason text, p_subject text,
    p_address text)
RETURNS void LANGUAGE sql AS $$
	SELECT security_log('sso_refused', NULL, NULL, NULL, p_address,
	    jsonb_build_object('reason', p_reason) ||
	    CASE WHEN p_subject IS NULL THEN '{}'::jsonb
	    ELSE jsonb_build_object('subject', p_subject) END);
$$;

-- The medex user of a checked ID token: by sso_subject, or by a verified
-- email equal to a user's that an admin allowed to be linked (the
-- subject is then kept, so later sign-ins match on it).  A disabled
-- user, a subject with no user, and an acr below the user's office's
-- minimum (p_acr_levels: the instance's, weakest first) are refused
-- (refusal, logged here); otherwise the user's id, username, role and
-- office, for the C side to make the token with.
CREATE OR REPLACE FUNCTION sso_user(p_subject text, p_email text,
    p_email_verified boolean, p_acr text, p_acr_levels text[],
    p_address text, OUT refusal text, OUT user_id bigint,
    OUT username text, OUT role text, OUT office text)
LANGUAGE plpgsql AS $$
DECLARE
	u	users;
	o	offices;
	v_linked boolean := false;
BEGIN
	SELECT * INTO u FROM users WHERE sso_subject = p_subject;
	IF NOT FOUND AND p_email_verified AND p_email IS NOT NULL THEN
		SELECT * INTO u FROM users
		WHERE lower(email) = lower(p_email) AND sso_email_link
		  AND sso_subject IS NULL
		FOR UPDATE;
		v_linked := FOUND;
	END IF;
	IF u.id IS NULL THEN
		refusal := 'no_user';
	ELSIF u.disabled THEN
		refusal := 'user_disabled';
	END IF;
	IF refusal IS NULL THEN
		SELECT * INTO o FROM offices WHERE id = u.office_id;
		IF o.sso_min_acr IS NOT NULL AND (p_acr IS NULL OR
		    coalesce(array_position(p_acr_levels, p_acr), 0) <
		    coalesce(array_position(p_acr_levels, o.sso_min_acr),
		    2147483647)) THEN
			refusal := 'acr_too_low';
		END IF;
	END IF;
	IF refusal IS NOT NULL THEN
		PERFORM security_log('sso_refused', u.username, o.code, NULL,
		    p_address, jsonb_build_object('reason', refusal,
		    'subject', p_subject) || CASE WHEN p_acr IS NULL
		    THEN '{}'::jsonb ELSE jsonb_build_object('acr', p_acr)
		    END);
		RETURN;
	END IF;
	IF v_linked THEN
		UPDATE users SET sso_subject = p_subject, updated_at = now(),
		    version = version + 1
		WHERE id = u.id;
		PERFORM security_log('sso_linked', u.username, o.code,
		    u.username, p_address, jsonb_build_object('subject',
		    p_subject, 'by', 'email'));
	END IF;
	user_id := u.id;
	username := u.username;
	role := u.role;
	office := o.code;
END
$$;

-- The session of a single sign-on, as login_record makes one for a
-- password: the provider did the authentication, so no one-time
-- password change and no second-factor enrolment is asked of it.
CREATE OR REPLACE FUNCTION sso_session(p_user_id bigint, p_address text,
    p_jti text, p_csrf text, p_expires bigint, p_token text,
    p_lifetime integer, p_auth_time bigint, p_acr text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	u	users;
	v_office text;
BEGIN
	SELECT * INTO u FROM users WHERE id = p_user_id AND NOT disabled;
	IF NOT FOUND THEN
		RETURN NEXT api_error(401, 'sso_refused',
		    'Your account is not (or no longer) active in medex.');
		RETURN;
	END IF;
	SELECT code INTO v_office FROM offices WHERE id = u.office_id;
	INSERT INTO sessions (jti, user_id, csrf, expires_at, auth_time,
	    last_seen, method)
	VALUES (p_jti, u.id, p_csrf, to_timestamp(p_expires),
	    to_timestamp(p_auth_time), now(), 'sso');
	PERFORM security_log('login', u.username, v_office, NULL, p_address,
	    jsonb_build_object('method', 'sso') || CASE WHEN p_acr IS NULL
	    THEN '{}'::jsonb ELSE jsonb_build_object('acr', p_acr) END);
	RETURN NEXT api_ok(200, jsonb_build_object('token', p_token,
	    'token_type', 'Bearer', 'expires_in', p_lifetime,
	    'csrf_token', p_csrf, 'user', user_json(u.id)));
END
$$;
