-- Issues 18 and 20: one-time passwords and offices an admin can change.
--
-- users.password_change_required: the password was set by an admin (at
-- creation or by a reset) and is one-time.  login_record copies it into
-- the session row, and auth_check (sql/auth.sql) answers every call of
-- such a session, except the few that change the password, 403
-- password_change_required: the database, not only the C side, holds
-- the rule.  api_password_change clears both.
ALTER TABLE users ADD COLUMN password_change_required boolean NOT NULL
    DEFAULT false;
ALTER TABLE sessions ADD COLUMN password_change_required boolean NOT NULL
    DEFAULT false;

-- PATCH /api/v1/offices/{code} takes If-Match, so an office has a
-- version like a user or a case.
ALTER TABLE offices ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE offices ADD COLUMN updated_at timestamptz NOT NULL
    DEFAULT now();

-- No deadline backfill: cases.deadline has been stored (NOT NULL) when
-- a case is created since 0004, from the office's target of that day,
-- so a changed target already moves only new cases.
