-- Retention (issue 19): removing the identifiable fields of cases closed
-- longer ago than their office keeps them (offices.retention_years;
-- NULL, the default, keeps everything).  Nothing calls these but
-- `medexctl retention purge` (app/cli/cli_retention.c): nothing is ever
-- purged automatically.
--
-- What stays: every code, flag, state, date of the process (notified,
-- deadline, death, decisions, contacts' times) and the trail's events,
-- so the monthly export (computed from those and the events) gives the
-- same bytes before and after, and a `retention_purged` event records
-- which fields were removed, never their values.
--
-- The trail: an event of hash version 2 (every event since migration
-- event_digest) chains over a digest of each key of its changes
-- (sql/cases_common.sql), so the purge replaces the values of the keys
-- retention_event_keys() lists with null, keeps their digests (purged)
-- and drops their salts; the chain still verifies.  medexctl verifies
-- the case's chain in C before (a case whose chain is broken is
-- refused) and after, under the case's row lock.  An event of hash
-- version 1 (older) keeps its values: its hash covers them, and
-- removing them would break the chain (operations.md, "Retention").

-- The top-level keys of an event's changes that carry what the purge
-- removes from the case: the deceased's identifiable fields (created,
-- imported, updated and *_recorded events name them by column), the
-- records that hold names, contact details or free text (each a whole
-- record under one key: note_added's note, and so on), the coroner's
-- references and every reason (transitions', reallocations').
CREATE OR REPLACE FUNCTION retention_event_keys()
RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['given_name', 'family_name', 'nhs_number',
	    'date_of_birth', 'place_detail', 'ap_name', 'prio_detail',
	    'cause_of_death', 'final_actions', 'note', 'discussion',
	    'representative', 'contact', 'exhausted', 'governance',
	    'coroner_referral', 'coroner_reference', 'reference', 'reason']
$$;

-- Removes the values of retention_event_keys() from the version 2
-- events of case p_case_id (the caller holds its row lock): each
-- becomes null in changes, its digest (from its salt) goes to purged,
-- its salt is dropped.  Returns how many events changed.
CREATE OR REPLACE FUNCTION retention_purge_events(p_case_id bigint)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	v_keys	text[] := retention_event_keys();
	e	case_events;
	v_nulls	jsonb;
	v_digests jsonb;
	n	integer := 0;
BEGIN
	FOR e IN SELECT * FROM case_events WHERE case_id = p_case_id
	    AND hash_version = 2 AND changes ?| v_keys ORDER BY seq LOOP
		SELECT jsonb_object_agg(key, 'null'::jsonb),
		    jsonb_object_agg(key, case_event_digest(e.salts->>key,
		    value))
		INTO v_nulls, v_digests
		FROM jsonb_each(e.changes)
		WHERE key = ANY (v_keys) AND NOT e.purged ? key;
		CONTINUE WHEN v_nulls IS NULL;
		UPDATE case_events SET changes = changes || v_nulls,
		    purged = purged || v_digests, salts = salts - v_keys
		WHERE id = e.id;
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;

-- The closed cases of office p_office whose retention has passed and
-- that were closed before p_before (a London date), oldest first; not
-- those purged already.  The caller sets medex.office_id (row-level
-- security is FORCEd, for the owner too).
CREATE OR REPLACE FUNCTION retention_due(p_office bigint, p_before date)
RETURNS TABLE (case_id bigint, closed_at timestamptz)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY
	SELECT k.id, c.at FROM cases k
	JOIN offices o ON o.id = k.office_id
	CROSS JOIN LATERAL (SELECT max(e.at) AS at FROM case_events e
	    WHERE e.case_id = k.id AND e.action = 'transition'
	    AND e.changes->'state'->>'new' = 'closed') c
	WHERE k.office_id = p_office AND k.state = 'closed'
	  AND o.retention_years IS NOT NULL AND c.at IS NOT NULL
	  AND london_date(c.at) < p_before
	  AND c.at + make_interval(years => o.retention_years) < now()
	  AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = k.id
	      AND e.action = 'retention_purged')
	ORDER BY k.id;
END
$$;

-- Removes the identifiable fields of one due case: names (the deceased's,
-- the bereaved's, the attending practitioner's), NHS number, date of
-- birth, place detail (an address), contact details and every free text;
-- required text columns keep the word "Removed"; and their values in
-- the trail (retention_purge_events).  Appends the `retention_purged`
-- event (by p_actor, as medexctl records its changes) naming the fields
-- and counting the events whose values went, and bumps the version.
-- Through medexctl only: the chain checks before and after are its
-- (in C), not this function's.
CREATE OR REPLACE FUNCTION retention_purge_case(p_case_id bigint,
    p_actor text, p_before date)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	k	cases;
	c	auth_ctx;
	v_events integer;
BEGIN
	SELECT * INTO k FROM cases WHERE id = p_case_id FOR UPDATE;
	c := ROW('ok', NULL, 'medexctl', NULL, 'admin', k.office_id,
	    NULL)::auth_ctx;
	UPDATE cases SET given_name = 'Removed', family_name = 'Removed',
	    search_name = NULL, nhs_number = NULL, date_of_birth = NULL,
	    place_detail = NULL, ap_name = 'Removed', prio_detail = NULL,
	    -- Each line of the cause says "Removed.", so the record keeps
	    -- its form (and the lines that were filled in).
	    cause_of_death = (SELECT jsonb_object_agg(key, CASE
	        WHEN jsonb_typeof(value) = 'string' AND key <> 'form'
	        THEN '"Removed."'::jsonb ELSE value END)
	        FROM jsonb_each(cause_of_death)),
	    final_actions = final_actions - 'funeral_director'
	        - 'implant_detail',
	    version = version + 1, updated_at = now()
	WHERE id = k.id;
	PERFORM case_search_name_keep(k.id, k.office_id, NULL);
	UPDATE case_notes SET text = 'Removed.' WHERE case_id = k.id;
	UPDATE practitioner_discussions SET name = 'Removed',
	    reason_not = CASE WHEN reason_not IS NULL THEN NULL
	        ELSE 'Removed.' END, proposed_cause = NULL
	WHERE case_id = k.id;
	UPDATE representatives SET name = 'Removed',
	    relationship = 'Removed', phone = NULL, email = NULL
	WHERE case_id = k.id;
	UPDATE contacts SET person_name = 'Removed', relationship = 'Removed',
	    questions = NULL, concerns = CASE WHEN concerns IS NULL THEN NULL
	        ELSE 'Removed.' END
	WHERE case_id = k.id;
	UPDATE contact_exhaustions SET detail = CASE WHEN detail IS NULL
	    THEN NULL ELSE 'Removed.' END
	WHERE case_id = k.id;
	UPDATE coroner_referrals SET reason = 'Removed.',
	    coroner_reference = NULL, acknowledgement_reference = NULL
	WHERE case_id = k.id;
	UPDATE governance_referrals SET reason = 'Removed.'
	WHERE case_id = k.id;
	v_events := retention_purge_events(k.id);
	PERFORM case_event_add(k.id, c, 'retention_purged', jsonb_build_object(
	    'removed', jsonb_build_array('given_name', 'family_name',
	    'nhs_number', 'date_of_birth', 'place_detail',
	    'attending_practitioner.name', 'priority.detail',
	    'cause_of_death (text)', 'final_actions (text)', 'notes (text)',
	    'practitioner_discussions (names, text)',
	    'representatives (names, contact details)',
	    'contacts (names, text)', 'contacts_exhausted (text)',
	    'coroner_referral (reason, references)',
	    'governance_referrals (text)'),
	    'trail_events', v_events,
	    'retention_years', (SELECT retention_years FROM offices
	        WHERE id = k.office_id),
	    'before', p_before, 'by', p_actor));
END
$$;
