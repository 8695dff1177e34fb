-- Issue 21: a read that is not a write.  Reading a whole case (the API,
-- the case page, the print view) locked the case's row, computed the
-- next link of its hash chain and committed without waiting for the
-- flush: reads and writes of a case waited for each other, and a crash
-- could lose the views of data already sent.  A read now appends a row
-- here, in its own transaction, with the ordinary (flushed) commit and
-- no lock on the case; case_views_chain() (sql/cases_views.sql), run
-- by a timer in one worker, moves the rows into each case's chain as
-- `viewed` (or `printed`) events, in order, and deletes them.
--
-- The columns are those of the event the row becomes: `at` is when the
-- case was read, not when the view was chained.
--
-- No foreign keys, on purpose.  Checking one locks the referenced row
-- (FOR KEY SHARE) until the read commits: the case's row, which a
-- writer holds FOR UPDATE (case_lock), so the read would wait for the
-- writer again; and the office's row, shared by every read of the
-- office, which many readers at once would lock together (a MultiXact
-- each time).  The read has just found the case in its own statement,
-- and cases and offices are never deleted.
CREATE TABLE case_views (
	id		bigserial PRIMARY KEY,
	case_id		bigint NOT NULL,
	office_id	bigint NOT NULL,
	at		timestamptz NOT NULL,
	actor		text NOT NULL,
	actor_role	text NOT NULL,
	action		text NOT NULL CHECK (action IN ('viewed', 'printed'))
);
CREATE INDEX case_views_office ON case_views (office_id, id);
ALTER TABLE case_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_views FORCE ROW LEVEL SECURITY;
CREATE POLICY office_isolation ON case_views
    USING (office_id = current_setting('medex.office_id', true)::bigint)
    WITH CHECK (office_id = current_setting('medex.office_id', true)::bigint);
-- The server only appends, and only through the entry points that read
-- a case (case_view_add, sql/case_views.sql): medex_app has no
-- privilege on this table (none on any table since 0025_app_boundary),
-- so what it read can neither be taken back nor rewritten by it.  Only
-- case_views_chain() (an entry point, SECURITY DEFINER) reads and
-- removes the rows, as it chains them.
REVOKE ALL ON case_views FROM medex_app;
REVOKE ALL ON SEQUENCE case_views_id_seq FROM medex_app;

-- medexctl audit verify counts the views waiting to be chained.
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'medex_reader') THEN
		GRANT SELECT ON case_views TO medex_reader;
	END IF;
END
$$;
