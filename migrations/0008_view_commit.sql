-- Reading a whole case records a `viewed` event (API.md), so every read
-- is a write, and with synchronous_commit on each one waited for its own
-- WAL flush: reads were bound by the disk's flush rate, not by the work
-- (bench/: 598 reads/s through pgbench of this very statement).
--
-- A view changes nothing the user asked to keep, so its commit need not
-- wait for the flush.  What this risks: if PostgreSQL itself crashes, the
-- `viewed` events of the last moment (at most three wal_writer_delay
-- rounds, 0.6 s by default) may be lost.  What it cannot do: lose or
-- reorder anything else.  WAL is one sequence, so a later change that
-- waits for its flush (every write keeps synchronous_commit on) flushes
-- the views before it too, and a case's hash chain never refers to a view
-- that was not kept.  The setting is local to this transaction.
CREATE OR REPLACE FUNCTION api_case_get(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	k := case_lock(p_id);
	r := case_check(c, k, p_role_ok, false, NULL, NULL);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	PERFORM set_config('synchronous_commit', 'off', true);
	PERFORM case_event_add(k.id, c, 'viewed', '{}');
	RETURN NEXT api_ok(200, case_json(k.id, c.role <> 'liaison_officer'),
	    k.version);
END
$$;
