-- The one-expression SQL helpers were declared IMMUTABLE, but their
-- bodies call STABLE functions: to_char(), jsonb_build_object() and
-- convert_to() may depend on settings.  PostgreSQL does not inline a
-- function whose body is more volatile than its declaration, so each
-- call ran through the SQL-function executor instead (0010's comment
-- assumed they were inlined; EXPLAIN VERBOSE showed `rfc3339(at)`, not
-- the to_char() inside it).  That cost about 0.07 ms a call: a case's
-- trail builds case_event_json() and rfc3339() for each event, so a
-- trail of 30 events took 1.4 ms, and 0.8 ms declared STABLE (psql,
-- 10k bench data, one client).  STABLE is also the truth: nothing here
-- is used in an index or constraint, where IMMUTABLE would be needed.
-- api_ok, case_is_final and london_date are immutable and stay so.

ALTER FUNCTION rfc3339(timestamptz) STABLE;
ALTER FUNCTION case_event_json(case_events) STABLE;
ALTER FUNCTION office_json(offices) STABLE;
ALTER FUNCTION case_event_canonical(bigint, integer, timestamptz, text,
    text, text, jsonb) STABLE;
ALTER FUNCTION case_event_hash(text, text) STABLE;
ALTER FUNCTION api_error(integer, text, text, jsonb, jsonb) STABLE;
ALTER FUNCTION auth_refusal(auth_ctx) STABLE;
ALTER FUNCTION case_final_refusal(cases) STABLE;
ALTER FUNCTION case_duplicate_error(bigint) STABLE;
