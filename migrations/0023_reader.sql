-- The read-only role of medexctl's read-only commands (audit verify,
-- audit checkpoint, export): SELECT on what they read and nothing else,
-- so that they never run with the owner's password.  It is held by
-- row-level security like the owner (the policies are for PUBLIC).
-- scripts/pg.sh creates the role; on a database where nobody has, this
-- grants nothing and medexctl keeps using the owner (docs/operations.md).
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'medex_reader') THEN
		GRANT USAGE ON SCHEMA public TO medex_reader;
		GRANT SELECT ON offices, cases, case_events, contacts,
		    contact_exhaustions, coroner_referrals,
		    governance_referrals TO medex_reader;
	END IF;
END
$$;
