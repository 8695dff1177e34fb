-- Issue 19, part 2: clinical-safety warnings, the office's list of
-- abbreviations not to use in a cause of death, and the retention
-- setting.
--
-- A warning does not refuse a write: the write succeeds and the case
-- keeps the warning, open, until someone who may write to the case
-- acknowledges it (an event in the case's trail).  One open warning
-- per case and code; an acknowledged one stays as the record of who
-- saw it and when.  Which codes apply is decided by case_warnings_raise()
-- in sql/cases_warnings.sql after each write whose fields they read.
CREATE TABLE case_warnings (
	id		bigserial PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id),
	office_id	bigint NOT NULL REFERENCES offices (id),
	code		text NOT NULL CHECK (code IN ('possible_duplicate',
			    'age_over_120', 'abbreviation_in_cause',
			    'implants_before_cremation', 'test_nhs_number')),
	message		text NOT NULL CHECK (length(message) BETWEEN 1 AND 1000),
	field		text,
	raised_at	timestamptz NOT NULL DEFAULT now(),
	acknowledged_by	bigint REFERENCES users (id),
	acknowledged_at	timestamptz,
	CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL))
);
CREATE UNIQUE INDEX case_warnings_open ON case_warnings (case_id, code)
    WHERE acknowledged_at IS NULL;
CREATE INDEX case_warnings_case ON case_warnings (case_id, id);
ALTER TABLE case_warnings ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_warnings FORCE ROW LEVEL SECURITY;
CREATE POLICY office_isolation ON case_warnings
    USING (office_id = current_setting('medex.office_id', true)::bigint)
    WITH CHECK (office_id = current_setting('medex.office_id', true)::bigint);
-- Warnings are acknowledged, never removed.
REVOKE DELETE, TRUNCATE ON case_warnings FROM medex_app;

-- Abbreviations that make a cause of death ambiguous on a certificate
-- (the national medical examiner's guidance asks for words in full):
-- a whole word of the cause on this list raises abbreviation_in_cause.
-- The lead medical examiner edits the office's list.
ALTER TABLE offices ADD COLUMN cause_abbreviations text[] NOT NULL
    DEFAULT ARRAY['AAA', 'AF', 'AKI', 'ARDS', 'CAP', 'CCF', 'CKD', 'COPD',
    'CVA', 'DVT', 'HAP', 'IHD', 'LRTI', 'MI', 'PE', 'PVD', 'T2DM', 'TIA',
    'UTI']
    CHECK (cardinality(cause_abbreviations) <= 200);

-- Years after a case is closed before medexctl retention purge may
-- remove its identifiable fields; NULL (the default) keeps everything.
ALTER TABLE offices ADD COLUMN retention_years integer
    CHECK (retention_years BETWEEN 1 AND 100);
-- A purged case keeps no date of birth (sql/retention.sql); every write
-- still requires one (the C checks of a new case), and the constraint
-- that it is not after the death holds whenever it is there.
ALTER TABLE cases ALTER COLUMN date_of_birth DROP NOT NULL;
