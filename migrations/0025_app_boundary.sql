-- The database is the boundary (issue 20, findings 5 and 6): the server's
-- role medex_app keeps no privilege on any table or sequence.  It may
-- only EXECUTE the entry points that sql/boundary.sql lists, which run as
-- their owner (SECURITY DEFINER, search_path pinned), derive the user,
-- role and office from the session row found by the token's jti, and are
-- the only way into case_events.  So a compromised server can do what a
-- signed-in user's calls can do, and no more: no direct read of another
-- office's rows (set_config('medex.export') or medex.office_id no longer
-- open a table), no back-dated event, no record rewritten in place.
-- Row-level security stays as the second line, checked against the
-- context that auth_check() sets.
-- The owner's tables, views and sequences (an extension's, such as
-- pg_stat_statements, are not the owner's to change).
DO $$
DECLARE
	r	record;
BEGIN
	FOR r IN SELECT c.oid::regclass AS rel, c.relkind FROM pg_class c
	    WHERE c.relnamespace = 'public'::regnamespace
	      AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
	      AND pg_get_userbyid(c.relowner) = current_user
	LOOP
		EXECUTE format('REVOKE ALL ON %s %s FROM medex_app',
		    CASE r.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
		    r.rel);
	END LOOP;
END
$$;
ALTER DEFAULT PRIVILEGES FOR ROLE medex_owner IN SCHEMA public
    REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM medex_app;
ALTER DEFAULT PRIVILEGES FOR ROLE medex_owner IN SCHEMA public
    REVOKE USAGE, SELECT ON SEQUENCES FROM medex_app;
-- Functions: nobody by default (PostgreSQL grants EXECUTE to PUBLIC),
-- medex_app only what sql/boundary.sql grants.
ALTER DEFAULT PRIVILEGES FOR ROLE medex_owner IN SCHEMA public
    REVOKE EXECUTE ON FUNCTIONS FROM medex_app;
ALTER DEFAULT PRIVILEGES FOR ROLE medex_owner
    REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
