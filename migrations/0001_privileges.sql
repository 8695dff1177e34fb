-- What the server's role (medex_app) may do with what the owner role
-- (medex_owner, which runs migrations) creates: read and write rows, and
-- nothing else.  No DDL (it owns nothing and may not create in public),
-- no TRUNCATE (never granted).  Append-only tables revoke UPDATE and
-- DELETE again in their own migration.
GRANT USAGE ON SCHEMA public TO medex_app;

ALTER DEFAULT PRIVILEGES FOR ROLE medex_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO medex_app;
ALTER DEFAULT PRIVILEGES FOR ROLE medex_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO medex_app;
ALTER DEFAULT PRIVILEGES FOR ROLE medex_owner IN SCHEMA public
    GRANT EXECUTE ON FUNCTIONS TO medex_app;
