-- Issue 20: `medexctl audit verify` checks every record against the
-- event that created it (app/cli/cli_audit_records.c), as the read-only
-- role of 0023.  It already reads contacts, contacts exhausted and the
-- referrals; it now reads the other appended records and, of the users,
-- only who they are (to compare a record's author with its event's
-- actor).  Row-level security holds it to one office at a time, as for
-- the chains.
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'medex_reader') THEN
		GRANT SELECT ON case_notes, practitioner_discussions,
		    representatives TO medex_reader;
		GRANT SELECT (id, username) ON users TO medex_reader;
	END IF;
END
$$;
