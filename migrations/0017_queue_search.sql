-- Numbered 0015 on this branch because medexctl migrate refuses a gap;
-- it is the 0017 of issue 18 and is renumbered when merged after the
-- 0015 and 0016 of the other branches.
-- Issue 18: search that finds people as staff type them, and the
-- "most urgent" list's order.
--
-- unaccent and pg_trgm are trusted extensions (PostgreSQL 13 on), so the
-- owner role that runs migrations may create them: it owns the database
-- (scripts/pg.sh), which is all a trusted extension asks.
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- The normalised name, kept by the writers (case_search_name in
-- sql/cases_common.sql, called by every INSERT or UPDATE of a name).
-- A column rather than an expression index: unaccent() is STABLE (its
-- dictionary could change), an index expression must be IMMUTABLE, and
-- a migration may not define the wrapper that would pretend it is; nor
-- could it, as migrations run before sql/.  The backfill below is
-- case_search_name's body, written out because a migration calls none
-- of sql/'s functions; test_search checks the two agree.
ALTER TABLE cases ADD COLUMN search_name text;
UPDATE cases SET search_name = ' ' || n.w || ' ' || replace(n.w, ' ', '')
    || ' '
FROM (SELECT id, btrim(regexp_replace(regexp_replace(lower(
    public.unaccent('public.unaccent'::regdictionary,
    given_name || ' ' || family_name)), '[''`.’‘]', '', 'g'),
    '[^a-z0-9]+', ' ', 'g')) AS w FROM cases) n
WHERE n.id = cases.id;

-- Any fragment of the name, in any order: trigram GIN.  The office
-- filter and row-level security apply on top, as for every list.
CREATE INDEX cases_search_name ON cases USING gin (search_name
    public.gin_trgm_ops);

-- "Most urgent": a requested, unresolved urgent release first, then the
-- other priorities, then the deadline; open cases only (api_case_list).
CREATE INDEX cases_office_most_urgent ON cases (office_id,
    (NOT (urgent_requested AND urgent_outcome IS NULL)), (NOT urgent),
    deadline, id) WHERE state NOT IN ('closed', 'coroner_investigating',
    'withdrawn');
