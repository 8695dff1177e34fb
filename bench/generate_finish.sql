-- The last step of the benchmark's dataset (bench/bench.sh runs it after
-- generate.sql and generate_office.sql): the indexes generate.sql dropped
-- are built again from their saved definitions, the scratch schema goes,
-- and the planner gets fresh statistics.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET maintenance_work_mem = '2GB';
\timing on
SET max_parallel_maintenance_workers = 2;
DO $$
DECLARE
	r	record;
BEGIN
	FOR r IN SELECT def FROM bench_gen.g_index ORDER BY name LOOP
		EXECUTE r.def;
	END LOOP;
END
$$;

-- The appended records took their cases' ids (generate.sql): their
-- sequences go past them, every office's (the export setting).
SELECT set_config('medex.export', 'on', false);
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['case_notes', 'practitioner_discussions',
	    'representatives', 'contacts', 'contact_exhaustions',
	    'governance_referrals'] LOOP
		EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''), '
		    'greatest((SELECT max(id) FROM %I), 1))', t, t);
	END LOOP;
END
$$;
SELECT set_config('medex.export', 'off', false);

DROP SCHEMA bench_gen CASCADE;
ANALYZE cases, case_events, case_notes, practitioner_discussions, representatives, contacts, contact_exhaustions, coroner_referrals, governance_referrals, offices, users;
\timing off
