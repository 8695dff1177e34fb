-- The office audit (sql/audit.sql, GET /api/v1/audit and /audit) reads the
-- security log by office and by actor, newest first; without these it
-- scans the whole append-only log on every call.
CREATE INDEX security_events_office_at ON security_events (office, at);
CREATE INDEX security_events_actor_at ON security_events (actor, at);
