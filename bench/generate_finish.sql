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

DROP SCHEMA bench_gen CASCADE;
ANALYZE cases, case_events, case_notes, practitioner_discussions, representatives, contacts, contact_exhaustions, coroner_referrals, governance_referrals, offices, users;
\timing off
