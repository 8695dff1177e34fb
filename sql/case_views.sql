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
-- each appended to its case's chain with the time and the reader it
-- recorded, in order within the case, then removed.  Returns how many
-- were chained.
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
-- A round costs a few statements an office, not a few a view: the
-- office's cases are locked in one, their heads read with the views in
-- one, the hashes computed in order, then the events inserted, the
-- heads moved and the chained rows removed (by id: a row that commits
-- during the round is left for the next) in one statement each.  A
-- view's event is what case_event_append() would write for it (no
-- changes, so no salts).  At saturation the chain runs beside every
-- read; a view at a time it cost half as much as the read itself
-- (issue 21, docs/benchmark.md).
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
	v_cases		bigint[];
	r		record;
	v_case		bigint;
	v_seq		integer;
	v_hash		text;
	v_prev		text;
	-- The round's events, a column each, and the heads they leave.
	e_id		bigint[];
	e_case		bigint[];
	e_seq		integer[];
	e_at		timestamptz[];
	e_actor		text[];
	e_role		text[];
	e_action	text[];
	e_prev		text[];
	e_hash		text[];
	h_case		bigint[];
	h_seq		integer[];
	h_hash		text[];
	n		integer := 0;
BEGIN
	IF NOT pg_try_advisory_xact_lock(26, 1) THEN
		RETURN 0;
	END IF;
	FOR v_office IN SELECT id FROM offices ORDER BY id LOOP
		PERFORM set_config('medex.office_id', v_office::text, true);
		-- Most offices have nothing waiting in a round: one probe of
		-- the index, not the locking statement below.
		PERFORM 1 FROM case_views WHERE office_id = v_office LIMIT 1;
		IF NOT FOUND THEN
			CONTINUE;
		END IF;
		v_cases := ARRAY(SELECT k.id FROM cases k
		    WHERE k.id IN (SELECT w.case_id FROM case_views w
			WHERE w.office_id = v_office ORDER BY w.id
			LIMIT p_limit)
		    FOR UPDATE OF k SKIP LOCKED);
		IF cardinality(v_cases) = 0 THEN
			CONTINUE;
		END IF;
		e_id := '{}'; e_case := '{}'; e_seq := '{}'; e_at := '{}';
		e_actor := '{}'; e_role := '{}'; e_action := '{}';
		e_prev := '{}'; e_hash := '{}';
		h_case := '{}'; h_seq := '{}'; h_hash := '{}';
		v_case := NULL;
		FOR r IN SELECT w.*, k.event_seq, k.event_hash
		    FROM (SELECT * FROM case_views WHERE office_id = v_office
			ORDER BY id LIMIT p_limit) w
		    JOIN cases k ON k.id = w.case_id
		    WHERE w.case_id = ANY (v_cases)
		    ORDER BY w.case_id, w.id LOOP
			IF r.case_id IS DISTINCT FROM v_case THEN
				IF v_case IS NOT NULL THEN
					h_case := h_case || v_case;
					h_seq := h_seq || v_seq;
					h_hash := h_hash || v_hash;
				END IF;
				v_case := r.case_id;
				v_seq := r.event_seq;
				v_hash := r.event_hash;
			END IF;
			v_prev := v_hash;
			v_seq := v_seq + 1;
			v_hash := case_event_hash(v_prev,
			    case_event_canonical_v2(r.case_id, v_seq, r.at,
			    r.actor, r.actor_role, r.action, '{}', '{}', '{}'));
			e_id := e_id || r.id;
			e_case := e_case || r.case_id;
			e_seq := e_seq || v_seq;
			e_at := e_at || r.at;
			e_actor := e_actor || r.actor;
			e_role := e_role || r.actor_role;
			e_action := e_action || r.action;
			e_prev := e_prev || v_prev;
			e_hash := e_hash || v_hash;
		END LOOP;
		IF v_case IS NULL THEN
			CONTINUE;
		END IF;
		h_case := h_case || v_case;
		h_seq := h_seq || v_seq;
		h_hash := h_hash || v_hash;
		INSERT INTO case_events (case_id, office_id, seq, at, actor,
		    actor_role, action, changes, salts, prev_hash, hash)
		SELECT x.c, v_office, x.s, x.a, x.u, x.r, x.k, '{}', '{}',
		    x.p, x.h
		FROM unnest(e_case, e_seq, e_at, e_actor, e_role, e_action,
		    e_prev, e_hash) AS x(c, s, a, u, r, k, p, h);
		UPDATE cases k SET event_seq = x.s, event_hash = x.h
		FROM unnest(h_case, h_seq, h_hash) AS x(id, s, h)
		WHERE k.id = x.id;
		DELETE FROM case_views WHERE id = ANY (e_id);
		n := n + cardinality(e_id);
	END LOOP;
	-- The caller's office again (setting it is local to the
	-- transaction, so this matters only to a caller that goes on in
	-- it); never set before: no office (ids start at 1).
	PERFORM set_config('medex.office_id', coalesce(v_was, '0'), true);
	RETURN n;
END
$$;
