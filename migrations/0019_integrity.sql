-- Issue 19, part 1: the record keeps its own rules.
--
-- Ethnicity: exactly the NHS Data Dictionary's ethnic categories (A-H,
-- J-N, P, R, S and Z for "not stated"), as case_body.c and /reference
-- list them; 0004's check took any letter A-S, so I, O and Q got in.
-- NOT VALID: a row stored under the old rule is kept (and shown as its
-- code), but no write can store such a code again.
ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_ethnicity_check;
ALTER TABLE cases ADD CONSTRAINT cases_ethnicity_nhs
    CHECK (ethnicity ~ '^[A-HJ-NPRSZ]$') NOT VALID;

-- LeDeR and SMI (DOMAIN.md): the person had a learning disability or
-- autism (such a death is notified to LeDeR, the Learning from Lives
-- and Deaths review programme), or a severe mental illness.  Set by an
-- officer or an ME on the case; leder_notified_at is the day LeDeR was
-- told, counted by the monthly export as leder_notifications.
ALTER TABLE cases ADD COLUMN learning_disability_or_autism boolean NOT NULL
    DEFAULT false;
ALTER TABLE cases ADD COLUMN severe_mental_illness boolean NOT NULL
    DEFAULT false;
ALTER TABLE cases ADD COLUMN leder_notified_at date;
-- The export counts the month's notifications by office.
CREATE INDEX cases_leder_notified ON cases (office_id, leder_notified_at)
    WHERE leder_notified_at IS NOT NULL;
