-- Views of a case (issue 21, migration 0028_case_views): a read
-- records who read the case and when in case_views, and
-- case_views_chain() moves those rows into the case's hash chain a
-- moment later.
--
-- Why not an event straight away, as before: appending to the chain
-- needs the case's row lock (the next link is computed from the head),
-- so every read was a write that waited behind the writers of the case
-- and they behind it; and its commit went unflushed (0008) to keep
-- reads fast, so a crash could lose the views of records already sent.
-- A row here takes no lock on the case and its transaction commits
-- like any write, flushed before the answer goes (commits that wait
-- together are flushed together, so the cost is shared under load).

-- Records that c read the case k (p_action: viewed, or printed for the
-- print view).  The caller is a read's own transaction; the row is
-- chained later, with this time.
CREATE OR REPLACE FUNCTION case_view_add(c auth_ctx, k cases, p_action text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO case_views (case_id, office_id, at, actor, actor_role,
	    action)
	VALUES (k.id, k.office_id,
	    date_trunc('microseconds', clock_timestamp()), c.username, c.role,
	    p_action);
END
$$;

-- Chains the recorded views: for each office, its oldest p_limit rows,
-- oldest first, each appended to its case's chain with the time and the
-- reader it recorded, then removed.  Returns how many were chained.
--
-- The server calls this from a timer in one worker
-- (app/http/view_chain.c), every view_chain_ms; any caller may (the
-- tests do, as the owner, rather than wait for the timer).  One at a
-- time: a second caller while one runs returns 0 at once (the advisory
-- lock), so that two instances of the server never chain one case's
-- views out of order.  A case whose row a writer holds is skipped
-- whole, to the next round, rather than waited for: the chain never
-- holds up a write for longer than its own appends take, and a case's
-- views stay in order.
--
-- SECURITY DEFINER (and an entry point, sql/boundary.sql): the server
-- may only add views through the reads, and the rows are read and
-- removed here as the owner.  The owner is held by row-level security
-- too, so the offices are taken one at a time with medex.office_id
-- set, as medexctl does.
CREATE OR REPLACE FUNCTION case_views_chain(p_limit integer)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
	v_office	bigint;
	v_was		text := current_setting('medex.office_id', true);
	v		case_views;
	v_skip		bigint[] := '{}';
	n		integer := 0;
BEGIN
	IF NOT pg_try_advisory_xact_lock(26, 1) THEN
		RETURN 0;
	END IF;
	FOR v_office IN SELECT id FROM offices ORDER BY id LOOP
		PERFORM set_config('medex.office_id', v_office::text, true);
		FOR v IN SELECT * FROM case_views WHERE office_id = v_office
		    ORDER BY id LIMIT p_limit LOOP
			IF v.case_id = ANY (v_skip) THEN
				CONTINUE;
			END IF;
			PERFORM 1 FROM cases WHERE id = v.case_id
			FOR UPDATE SKIP LOCKED;
			IF NOT FOUND THEN
				v_skip := v_skip || v.case_id;
				CONTINUE;
			END IF;
			PERFORM case_event_append(v.case_id, v.at, v.actor,
			    v.actor_role, v.action, '{}');
			DELETE FROM case_views WHERE id = v.id;
			n := n + 1;
		END LOOP;
	END LOOP;
	-- The caller's office again (setting it is local to the
	-- transaction, so this matters only to a caller that goes on in
	-- it); never set before: no office (ids start at 1).
	PERFORM set_config('medex.office_id', coalesce(v_was, '0'), true);
	RETURN n;
END
$$;
