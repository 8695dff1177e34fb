-- Issue #20, login and sessions: tables only (the functions are in
-- sql/auth.sql).
--
-- login_attempts: every password check, reserved before the hash runs
-- (login_reserve) and settled after it (login_record): outcome NULL while
-- the hash runs, then 'failed', 'ok', or 'shed' (refused for load before
-- any hash; not counted).  The throttle counts these rows, so a burst of
-- parallel guesses is counted as it arrives.  Rows are evidence: the
-- server may add and settle them, never delete them; a success only
-- starts a new count for its (username, address) bucket.
CREATE TABLE login_attempts (
	id		bigserial PRIMARY KEY,
	username	text NOT NULL,
	address		text NOT NULL,
	at		timestamptz NOT NULL DEFAULT now(),
	outcome		text CHECK (outcome IN ('failed', 'ok', 'shed')),
	finished_at	timestamptz
);
CREATE INDEX login_attempts_user ON login_attempts (username, at);
CREATE INDEX login_attempts_addr ON login_attempts (address, at);
REVOKE UPDATE, DELETE, TRUNCATE ON login_attempts FROM medex_app;
GRANT UPDATE (outcome, finished_at) ON login_attempts TO medex_app;

-- Requests refused for want of a valid token, counted per client address
-- and minute: security_events gets one token_refused row per address and
-- minute (the first), this table the count.  Rows older than 90 days are
-- removed when a new minute's row is made (docs/operations.md).
CREATE TABLE token_refusals (
	address		text NOT NULL,
	minute		timestamptz NOT NULL,
	count		integer NOT NULL DEFAULT 1,
	PRIMARY KEY (address, minute)
);
CREATE INDEX token_refusals_minute ON token_refusals (minute);

-- Sessions end: auth_time is when the password was checked (kept through
-- refreshes, for MEDEX_SESSION_MAX), last_seen the last use (updated at
-- most once a minute, for MEDEX_SESSION_IDLE).  NULL in rows made before
-- this migration: issued_at stands in.
ALTER TABLE sessions ADD COLUMN auth_time timestamptz,
    ADD COLUMN last_seen timestamptz;
