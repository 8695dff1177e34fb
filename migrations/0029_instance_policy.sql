-- Issue 20: the sign-in policy is the database's, not the server's.
-- Until now the absolute session lifetime, the idle timeout and the
-- roles that must use two-step sign-in came only from settings on the
-- server's own connection (options='-c medex.session_max=...' in
-- medex.ini): a compromised server could lengthen every session or
-- drop the second factor by connecting with other values.
--
-- One row, written only by the owner: `medexctl migrate` copies
-- session_max, session_idle and mfa_required_roles from medexctl.ini
-- (the admin-only file, scripts/configure.sh) through
-- instance_policy_set() (sql/auth.sql).  The connection's settings may
-- still make a session shorter or add roles (a second instance with
-- tighter limits, as tests/http/test_sessions.c runs), never the
-- reverse: session_setting() takes the smaller, mfa_required() the
-- union.  medex_app has no privilege on the table (0025).
CREATE TABLE instance_policy (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	session_max	integer NOT NULL DEFAULT 43200
			    CHECK (session_max BETWEEN 1 AND 31536000),
	session_idle	integer NOT NULL DEFAULT 1800
			    CHECK (session_idle BETWEEN 1 AND 31536000),
	mfa_required_roles text[] NOT NULL DEFAULT '{}',
	updated_at	timestamptz NOT NULL DEFAULT now()
);
INSERT INTO instance_policy DEFAULT VALUES;
REVOKE ALL ON instance_policy FROM medex_app;
