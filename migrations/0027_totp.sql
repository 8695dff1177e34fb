-- Issue 20, "Accounts": a TOTP second factor (RFC 6238) with recovery
-- codes, and sessions limited to enrolment for the roles that must use
-- it (MEDEX_MFA_REQUIRED_ROLES).
--
-- user_otp: a user's TOTP secret (base32), in a table of its own so
-- that no other reader of users sees it: medex_reader (0023) is not
-- granted it, and no api_* function returns it after enrolment
-- (sql/otp.sql).  confirmed_at NULL: enrolment started, not yet on;
-- it is turned on by a right code (api_otp_confirm).  last_step: the
-- highest time step (seconds since the epoch / 30) whose code was
-- accepted; a code of that step or an earlier one is refused, so a
-- code seen over a shoulder or replayed works no second time.
CREATE TABLE user_otp (
	user_id		bigint PRIMARY KEY REFERENCES users (id),
	secret		text NOT NULL,
	confirmed_at	timestamptz,
	last_step	bigint NOT NULL DEFAULT 0,
	created_at	timestamptz NOT NULL DEFAULT now()
);

-- Recovery codes, each usable once in place of a code: only their
-- SHA-256 (hex) is kept.  They are random (50 bits), not chosen by
-- people, so a plain hash is enough (as for the CSRF and session
-- tokens); argon2 would cost a login 0.2 s per code.
CREATE TABLE otp_recovery_codes (
	user_id		bigint NOT NULL REFERENCES users (id),
	code_hash	text NOT NULL,
	used_at		timestamptz,
	PRIMARY KEY (user_id, code_hash)
);

-- A session of a user whose role must use a second factor and who has
-- none: auth_check answers it 403 otp_enrolment_required everywhere
-- but api_me, logout, refresh and enrolment.
ALTER TABLE sessions ADD COLUMN otp_enrolment_required boolean NOT NULL
    DEFAULT false;

-- A right password without the code: 'otp_required', neither a failure
-- (the password was right) nor a success (no session; it does not start
-- a new count for its bucket, login_reserve).
ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_outcome_check;
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_outcome_check
    CHECK (outcome IN ('failed', 'ok', 'shed', 'otp_required'));

-- login_reserve gains an OUT column (the user's TOTP secret when it is
-- on): a function's result type cannot be replaced, so it is dropped
-- here (if there: a new database gets it from sql/ after the migrations)
-- and sql/auth.sql creates it again in the same run.  The previous
-- release selects its columns by name, so it still reads it.
DROP FUNCTION IF EXISTS login_reserve(text, text);
