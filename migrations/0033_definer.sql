-- Issue 20: the entry points are SECURITY DEFINER functions owned by a
-- role that is not the migration owner (sql/boundary.sql gives them to
-- medex_definer).  What they may do is then what this role may: read
-- and write the case store's rows, under row-level security (it owns
-- no table, so FORCE applies as for the owner), and nothing more.  It
-- may not alter a table, turn off a policy or a trigger, replace a
-- function it does not own, or create anything.
--
-- scripts/pg.sh creates the role; on a database where nobody has, this
-- grants nothing and the entry points stay the owner's (operations.md).
DO $$
DECLARE
	t	record;
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'medex_definer') THEN
		GRANT USAGE ON SCHEMA public TO medex_definer;
		-- The owner's tables and sequences (not an extension's).
		FOR t IN SELECT c.oid::regclass, c.relkind FROM pg_class c
		    WHERE c.relnamespace = 'public'::regnamespace
		      AND c.relkind IN ('r', 'S')
		      AND c.relowner = current_user::regrole LOOP
			EXECUTE format(CASE WHEN t.relkind = 'r' THEN
			    'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE %s '
			    'TO medex_definer' ELSE 'GRANT USAGE, SELECT ON '
			    'SEQUENCE %s TO medex_definer' END, t.oid);
		END LOOP;
		-- Tables and sequences of later migrations, as above.  What
		-- it may not change (the trail, the security log, the
		-- appended records, the policy, the migration record) is
		-- taken back by sql/boundary.sql at every migrate, so that a
		-- table made later is covered too.
		ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT,
		    UPDATE, DELETE ON TABLES TO medex_definer;
		ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT
		    ON SEQUENCES TO medex_definer;
	END IF;
END
$$;
