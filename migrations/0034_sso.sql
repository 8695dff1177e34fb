-- Issue 24: single sign-on through the trust's OpenID Connect provider
-- (or NHS CIS2).  Accounts stay medex's: a provider's subject maps to
-- an existing user, by sso_subject (set by an admin), or on the first
-- sign-in by a verified email claim equal to the user's email when the
-- admin allowed it (sso_email_link); the subject is then kept.
ALTER TABLE users ADD COLUMN sso_subject text UNIQUE
	CHECK (length(sso_subject) BETWEEN 1 AND 255),
    ADD COLUMN email text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'
	AND length(email) <= 254),
    ADD COLUMN sso_email_link boolean NOT NULL DEFAULT false,
    -- Signs in with a password even where the office requires single
    -- sign-on: the break-glass admin, for when the provider is down.
    ADD COLUMN break_glass boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- An office may require single sign-on of its users (passwords then
-- refused, except a break-glass user's), and a minimum acr (one of the
-- instance's sso_acr_levels, weakest first).
ALTER TABLE offices ADD COLUMN sso_required boolean NOT NULL DEFAULT false,
    ADD COLUMN sso_min_acr text CHECK (length(sso_min_acr) BETWEEN 1 AND 100);

-- How a session was started: a sign-out of a single sign-on session
-- offers the provider's end-session page too.
ALTER TABLE sessions ADD COLUMN method text NOT NULL DEFAULT 'password'
    CHECK (method IN ('password', 'sso'));

-- A right password refused because the office signs in with single
-- sign-on: not a failure (it does not count towards the throttle).
ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_outcome_check;
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_outcome_check
    CHECK (outcome IN ('failed', 'ok', 'shed', 'otp_required',
    'sso_required'));

-- A sign-in sent to the provider and not yet back: what the callback
-- needs (the nonce the ID token must carry, the PKCE verifier, the page
-- to return to).  Keyed by the SHA-256 of the state, which only the
-- browser holds (in the redirect and a cookie): a copy of this table
-- cannot finish anyone's sign-in.  Taken once (used_at): a replayed
-- callback is refused.  Rows older than an hour are deleted by the next
-- sign-in.
CREATE TABLE sso_logins (
	state_hash	text PRIMARY KEY CHECK (state_hash ~ '^[0-9a-f]{64}$'),
	nonce		text NOT NULL,
	code_verifier	text NOT NULL,
	return_to	text,
	address		text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	used_at		timestamptz
);
CREATE INDEX sso_logins_created ON sso_logins (created_at);
REVOKE ALL ON sso_logins FROM medex_app;
