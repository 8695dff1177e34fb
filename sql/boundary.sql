-- What the server's role may call (issue 20, "the database is the
-- boundary"; migrations/0025_app_boundary.sql took every table and
-- sequence privilege from medex_app).  Applied last, after every other
-- file of sql/, because CREATE OR REPLACE FUNCTION resets what is set
-- here: each entry point below becomes SECURITY DEFINER with its
-- search_path pinned (so it runs as the owner, under row-level security,
-- and cannot be pointed at a table or function of the caller's making),
-- and is the only thing medex_app may EXECUTE.  Every other function of
-- the owner is closed to PUBLIC (PostgreSQL's default), and so to
-- medex_app; medexctl's read-only role keeps them (its export and audit
-- verify call them; it can write nothing either way).
--
-- The entry points are owned by medex_definer (migration 0033, created
-- by scripts/pg.sh), not by the migration owner: a role that owns no
-- table, may not create anything, and may only append to the trail, the
-- security log and the appended records (definer_limits() below).  The
-- owner is a member, so that the next migrate may replace them.
--
-- An entry point of a new route goes in this list; the route x role test
-- (test_roles) answers 500 for one that is missing.  Every entry point
-- either starts with auth_check() (the session found by the token's jti,
-- the user, role and office taken from it) or touches no case data
-- (the sign-in's own functions, the refusal log, readiness, the
-- replica's lag and aggregate-only export).

-- /readyz: every migration applied and the code of sql/ as expected.
CREATE OR REPLACE FUNCTION app_ready(p_migrations bigint, p_code text)
RETURNS TABLE (migrations_ok boolean, sql_ok boolean)
LANGUAGE sql STABLE AS $$
	SELECT (SELECT count(*) FROM schema_migrations) = p_migrations
	    AND (SELECT coalesce(max(version), 0) FROM schema_migrations) =
	    p_migrations,
	    (SELECT coalesce(string_agg(filename || ' ' || sha256 || E'\n', ''
	    ORDER BY filename COLLATE "C"), '') FROM schema_code) = p_code
$$;

CREATE OR REPLACE FUNCTION app_entry_points()
RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY[
	    -- sign-in, sessions, refusals (app/http/api_auth.c, auth.c)
	    'login_reserve', 'login_record', 'token_refused_log',
	    'api_logout', 'api_refresh', 'api_me', 'api_session_ok',
	    'api_deny', 'password_change_begin', 'api_password_change',
	    -- two-step sign-in (api_otp.c)
	    'api_otp_start', 'otp_begin', 'api_otp_confirm',
	    'api_otp_disable',
	    -- single sign-on (sso.c)
	    'sso_begin', 'sso_take', 'sso_refused_log', 'sso_user',
	    'sso_session',
	    -- cases (api_cases.c, api_warnings.c)
	    'api_case_create', 'api_case_get', 'api_case_get_batch',
	    'api_case_list',
	    'api_case_summary', 'api_case_write', 'api_case_transition',
	    'api_case_notes', 'api_case_events', 'api_case_warning_ack',
	    'api_reference', 'api_office_abbreviations',
	    -- people and offices (api_admin.c)
	    'api_user_list', 'api_user_get', 'api_user_create',
	    'api_user_patch', 'api_admin_patch_refusal', 'api_office_list',
	    'api_office_get', 'api_office_create', 'api_office_patch',
	    'api_office_overview', 'api_audit',
	    -- exports (api_exports.c) and the standby
	    'api_export_monthly', 'api_export_series', 'api_export_grant',
	    'export_replica', 'replica_lag',
	    -- pages (app/http/pages/)
	    'api_page_case', 'api_page_case_batch', 'api_page_case_print',
	    'api_page_case_write',
	    'api_page_case_transition', 'api_page_assignees',
	    'api_page_referral_document', 'api_import_stage',
	    'api_import_confirm',
	    -- the views' chain (view_chain.c, a timer in worker 1)
	    'case_views_chain',
	    -- health
	    'app_ready']
$$;

-- What medex_definer (migration 0033 gives it the rows of every table)
-- may not change, so that a flaw in an entry point cannot rewrite
-- history: the trail and the security log are append-only; the
-- appended records (notes, practitioner discussions, representatives,
-- contacts, contacts exhausted, governance referrals) too, as a
-- correction is a new record and only the retention purge (medexctl, as
-- the owner, with its event) changes them; the sign-in policy and the
-- migration record are medexctl's.  At every migrate, so that tables
-- made after 0033 are covered.
CREATE OR REPLACE FUNCTION definer_limits()
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['case_events', 'security_events',
	    'case_notes', 'practitioner_discussions', 'representatives',
	    'contacts', 'contact_exhaustions', 'governance_referrals'] LOOP
		IF to_regclass('public.' || t) IS NOT NULL THEN
			EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON '
			    'public.%I FROM medex_definer', t);
		END IF;
	END LOOP;
	FOREACH t IN ARRAY ARRAY['instance_policy', 'schema_migrations',
	    'schema_code'] LOOP
		IF to_regclass('public.' || t) IS NOT NULL THEN
			EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE '
			    'ON public.%I FROM medex_definer', t);
		END IF;
	END LOOP;
END
$$;

-- current_schema(): medexctl migrate runs sql/ twice, first into a
-- staging schema (to validate), then into public.
DO $$
DECLARE
	f		regprocedure;
	v_reader	boolean := EXISTS (SELECT 1 FROM pg_roles
			    WHERE rolname = 'medex_reader');
	v_definer	boolean := EXISTS (SELECT 1 FROM pg_roles
			    WHERE rolname = 'medex_definer');
	v_missing	text;
BEGIN
	SELECT string_agg(e, ', ') INTO v_missing
	FROM unnest(app_entry_points()) e
	WHERE NOT EXISTS (SELECT 1 FROM pg_proc p
	    JOIN pg_namespace n ON n.oid = p.pronamespace
	    WHERE n.nspname = current_schema() AND p.proname = e);
	IF v_missing IS NOT NULL THEN
		RAISE EXCEPTION 'sql/boundary.sql: no function %', v_missing;
	END IF;
	-- The owner's own functions (not those of an extension).
	FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
	    JOIN pg_namespace n ON n.oid = p.pronamespace
	    WHERE n.nspname = current_schema() AND p.prokind = 'f'
	      AND pg_get_userbyid(p.proowner) = current_user
	      AND NOT EXISTS (SELECT 1 FROM pg_depend d
		  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
		    AND d.deptype = 'e')
	LOOP
		EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC, '
		    'medex_app', f);
		IF v_reader THEN
			EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO '
			    'medex_reader', f);
		END IF;
		-- What the entry points call, as their owner.
		IF v_definer THEN
			EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO '
			    'medex_definer', f);
		END IF;
	END LOOP;
	-- ALTER ... OWNER needs the new owner to hold CREATE on the
	-- schema; it holds it only for these statements.
	IF v_definer THEN
		EXECUTE format('GRANT CREATE ON SCHEMA %I TO medex_definer',
		    current_schema());
	END IF;
	FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
	    JOIN pg_namespace n ON n.oid = p.pronamespace
	    WHERE n.nspname = current_schema()
	      AND p.proname = ANY (app_entry_points())
	LOOP
		EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER '
		    'SET search_path = public, pg_temp', f);
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO medex_app', f);
		IF v_definer THEN
			EXECUTE format('ALTER FUNCTION %s OWNER TO '
			    'medex_definer', f);
		END IF;
	END LOOP;
	IF v_definer THEN
		EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM medex_definer',
		    current_schema());
		PERFORM definer_limits();
	END IF;
END
$$;
