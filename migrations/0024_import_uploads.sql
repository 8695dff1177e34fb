-- Issue 23: the lead medical examiner's import page (GET /office/import).
--
-- A file checked by the page (the dry run) waits here for the lead ME's
-- confirmation: its rows as the C code read and checked them, never the
-- file itself.  The row is deleted when the import is confirmed, when the
-- same user checks another file, and an hour after it was checked
-- (sql/import.sql), so a spreadsheet's names do not linger outside the
-- cases.  Row-level security keeps each office's to itself.
CREATE TABLE import_uploads (
	id		bigserial PRIMARY KEY,
	office_id	bigint NOT NULL REFERENCES offices (id),
	username	text NOT NULL,
	file		text NOT NULL,
	sha256		text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	summary		jsonb NOT NULL,
	rows		jsonb NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_uploads_office ON import_uploads (office_id, created_at);
REVOKE UPDATE, TRUNCATE ON import_uploads FROM medex_app;
ALTER TABLE import_uploads ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_uploads FORCE ROW LEVEL SECURITY;
CREATE POLICY office_isolation ON import_uploads
    USING (office_id = current_setting('medex.office_id', true)::bigint)
    WITH CHECK (office_id = current_setting('medex.office_id', true)::bigint);
