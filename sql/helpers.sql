-- Shared helpers of every api_* function: the api_result answers, the
-- security log, time formatting and idempotency keys.

-- STABLE, not IMMUTABLE, so that it is inlined (see rfc3339).
CREATE OR REPLACE FUNCTION api_error(p_status integer, p_code text,
    p_message text, p_fields jsonb DEFAULT NULL, p_extra jsonb DEFAULT NULL)
RETURNS api_result LANGUAGE sql STABLE AS $$
	SELECT ROW(p_status, jsonb_build_object('error',
	    jsonb_build_object('code', p_code, 'message', p_message)
	    || CASE WHEN p_fields IS NULL THEN '{}'::jsonb
	       ELSE jsonb_build_object('fields', p_fields) END
	    || coalesce(p_extra, '{}'::jsonb))::text, NULL, NULL)::api_result
$$;

CREATE OR REPLACE FUNCTION api_ok(p_status integer, p_body jsonb,
    p_etag integer DEFAULT NULL, p_location text DEFAULT NULL)
RETURNS api_result LANGUAGE sql IMMUTABLE AS $$
	SELECT ROW(p_status, p_body::text, p_etag, p_location)::api_result
$$;

CREATE OR REPLACE FUNCTION security_log(p_action text, p_actor text,
    p_office text, p_target text, p_address text, p_detail jsonb DEFAULT '{}')
RETURNS void LANGUAGE sql AS $$
	INSERT INTO security_events (actor, office, action, target, address,
	    detail)
	VALUES (p_actor, p_office, p_action, p_target, p_address,
	    coalesce(p_detail, '{}'))
$$;

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
-- api_ok, case_is_final and london_date are immutable and stay so;
-- the other helpers declared STABLE here are so for the same reason.
CREATE OR REPLACE FUNCTION rfc3339(t timestamptz)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

CREATE OR REPLACE FUNCTION london_date(t timestamptz)
RETURNS date LANGUAGE sql IMMUTABLE AS $$
	SELECT (t AT TIME ZONE 'Europe/London')::date
$$;

-- The *_batch entry points (api_case_get_batch, api_page_case_batch):
-- every parameter array as long as the first, and 1 to 64 reads, or an
-- error (the server builds them; anything else is a bug, not a request).
CREATE OR REPLACE FUNCTION batch_check(p_n integer, p_others integer[])
RETURNS void LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF p_n IS NULL OR p_n < 1 OR p_n > 64 OR
	    EXISTS (SELECT 1 FROM unnest(p_others) m
		WHERE m IS DISTINCT FROM p_n) THEN
		RAISE EXCEPTION 'batch: % reads, arrays of %', p_n, p_others
		    USING ERRCODE = '22023';
	END IF;
END
$$;

-- A replayed Idempotency-Key: the first answer again, 409 when the same
-- key came with another request, NULL when the key is new (or absent).
-- The advisory lock serialises two requests racing with one key.
CREATE OR REPLACE FUNCTION idem_replay(p_user_id bigint, p_key text,
    p_hash text)
RETURNS api_result LANGUAGE plpgsql AS $$
DECLARE
	k	idempotency_keys;
BEGIN
	IF p_key IS NULL THEN
		RETURN NULL;
	END IF;
	PERFORM pg_advisory_xact_lock(hashtextextended(p_user_id || '/' || p_key, 7));
	DELETE FROM idempotency_keys WHERE user_id = p_user_id AND key = p_key
	    AND created_at < now() - interval '24 hours';
	SELECT * INTO k FROM idempotency_keys
	WHERE user_id = p_user_id AND key = p_key;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF k.request_hash <> p_hash THEN
		RETURN api_error(409, 'conflict',
		    'This Idempotency-Key was already used for a different request.');
	END IF;
	RETURN ROW(k.status, k.body, k.etag, k.location)::api_result;
END
$$;

CREATE OR REPLACE FUNCTION idem_save(p_user_id bigint, p_key text, p_hash text,
    r api_result)
RETURNS api_result LANGUAGE plpgsql AS $$
BEGIN
	IF p_key IS NOT NULL AND r.status < 500 THEN
		INSERT INTO idempotency_keys (user_id, key, request_hash, status,
		    body, etag, location)
		VALUES (p_user_id, p_key, p_hash, r.status, r.body, r.etag,
		    r.location);
	END IF;
	RETURN r;
END
$$;
