-- The offices' rows and events (bench/bench.sh runs this in
-- BENCH_GEN_JOBS parallel sessions after generate.sql):
--
--   psql -v part=0 -v parts=2 -f bench/generate_office.sql
--
-- Each office is one transaction (bench_gen.load_office), so a session
-- shows its progress in the log and a failure names its office.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET search_path = public;
\timing on
SELECT format('SELECT bench_gen.load_office(%s)', id)
FROM bench_gen.g_office WHERE idx % :parts = :part ORDER BY idx \gexec
