-- Issue 18: a name search at 6M cases within 1.5 x of its 10k latency.
--
-- The trigram index of 0017 was never used: cases is under forced
-- row-level security, and PostgreSQL applies a policy before any
-- condition whose operator is not leakproof, so `search_name LIKE ...`
-- could not be an index condition (LIKE is not leakproof, and only a
-- superuser may mark a function so).  Every name search scanned the
-- office's cases in date order and filtered them: 68,900 in the
-- benchmark's office ME001 at 6M cases, 855 ms cold, 120-160 ms warm,
-- against a few milliseconds when the index is used.
--
-- The names searched are kept in a table of their own, without
-- row-level security, so that the index serves the LIKE; the office is
-- in the same GIN index (btree_gin, PostgreSQL's own contrib, trusted
-- like pg_trgm) so that it answers only the office's rows.  Only the
-- owner's functions read it, always for one office (api_case_list); the
-- server's role has no privilege on it (0025).  The writers of
-- cases.search_name write it too, in the same transaction
-- (case_search_name_keep, sql/cases_common.sql): a new case, an import,
-- a changed name, and the retention purge, which empties both.
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;

CREATE TABLE case_search_names (
	case_id		bigint PRIMARY KEY REFERENCES cases (id),
	office_id	bigint NOT NULL,
	search_name	text
);
REVOKE ALL ON case_search_names FROM medex_app;

-- The owner is held by row-level security too: the backfill reads every
-- office's cases with the export setting, as medexctl export does.
SELECT set_config('medex.export', 'on', true);
INSERT INTO case_search_names (case_id, office_id, search_name)
SELECT id, office_id, search_name FROM cases;
SELECT set_config('medex.export', 'off', true);

CREATE INDEX case_search_names_office ON case_search_names USING gin
    (office_id, search_name public.gin_trgm_ops);
DROP INDEX cases_search_name;
