-- Issue 23, spreadsheet import (brief: number 0022, renumbered at merge;
-- 0021 here because a gap is refused).
--
-- The possible_duplicate warning (case_warnings_raise) looks for an open
-- case of the office with the same dates of birth and death after every
-- case written; without this index it read every case of the office,
-- so a 100,000-row import (sql/import.sql raises warnings like POST
-- /api/v1/cases) took time quadratic in the office's size.
CREATE INDEX cases_office_died_born ON cases (office_id, date_of_death,
    date_of_birth);
