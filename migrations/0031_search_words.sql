-- Issue 18: a name search at 6M cases within 1.5 x of its 10k latency.
--
-- 0030's GIN index (office, trigrams) was used but still cost 85-236 ms
-- at 6M cases: the posting lists of common trigrams ("pat", "hug") run
-- across the whole country, and the office's entry can only thin them
-- after they are read.  Its cost grew with the country, not with the
-- office's matches.
--
-- A search is a prefix of a word (issue 18: each word of the query at
-- the start of a word of the name, or the query run together), so a
-- btree over (office, word) answers it with one range per query word,
-- reading only that office's matching entries.  The entries of a name
-- (case_search_entries, sql/cases_common.sql) are its words and the
-- runs of its words together from each word to the last, so that
-- "OConnor" finds "Mary O Connor" and "annemarie" finds "Anne-Marie".
-- The words are in the C collation: case_search_norm leaves only a-z,
-- 0-9 and spaces, and a prefix p is the range [p, p || '{').
--
-- case_search_names stays: it holds the name each case's entries were
-- made from, so that a rename or the retention purge deletes exactly
-- those (by this table's primary key) without an index on case_id.
-- Its trigram index goes.  Neither table has row-level security or any
-- privilege for medex_app (0025); only the owner's functions read them,
-- always for the caller's office.
SET LOCAL maintenance_work_mem = '1GB';

CREATE TABLE case_search_words (
	office_id	bigint NOT NULL,
	word		text COLLATE "C" NOT NULL,
	case_id		bigint NOT NULL
);
REVOKE ALL ON case_search_words FROM medex_app;

-- The body of case_search_entries (sql/ is applied after migrations,
-- so the function is not there yet).  The index after the rows: one
-- sort instead of 6M x 3 insertions at national scale.
INSERT INTO case_search_words (office_id, word, case_id)
SELECT s.office_id, v.e, s.case_id
FROM case_search_names s,
    LATERAL (SELECT DISTINCT e FROM
	(SELECT string_to_array(btrim(s.search_name), ' ') AS t) a,
	generate_series(1, array_length(a.t, 1) - 1) i,
	LATERAL (VALUES (a.t[i]),
	    (array_to_string(a.t[i:array_length(a.t, 1) - 1], ''))) x(e)) v;

ALTER TABLE case_search_words ADD PRIMARY KEY (office_id, word, case_id);
-- The check of the new key reads cases under row-level security (the
-- owner is held by it too): with the export setting, as 0030's
-- backfill, it sees every office's.
SELECT set_config('medex.export', 'on', true);
ALTER TABLE case_search_words ADD FOREIGN KEY (case_id)
    REFERENCES cases (id);
SELECT set_config('medex.export', 'off', true);
ANALYZE case_search_words;

DROP INDEX case_search_names_office;
