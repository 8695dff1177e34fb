-- The read path, measured with pgbench at one client (bench/, 10k
-- cases): reading a whole case took 2.1 ms, of which case_json() alone
-- took 1.7 ms, and nearly all of that was planning.  PostgreSQL 15 does
-- not keep the plan of an SQL-language function that it cannot inline
-- (one with a FROM clause or a subquery): it plans the body again in
-- every statement that calls it, and case_json's body is a join with
-- seven subqueries under row-level security.  A PL/pgSQL function keeps
-- its plans for the life of the connection, and Kore's pool keeps its
-- connections, so the same body in PL/pgSQL ran in 0.45 ms.  The hot
-- functions of that kind are restated here in PL/pgSQL with the same
-- bodies and results; the inlinable one-expression helpers (rfc3339,
-- api_ok, case_event_hash ...) stay SQL, since inlining costs nothing.

CREATE OR REPLACE FUNCTION case_json(p_id bigint, p_full boolean)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (
		SELECT jsonb_build_object(
		    'id', k.id::text, 'office', o.code, 'state', k.state,
		    'version', k.version,
		    'given_name', k.given_name, 'family_name', k.family_name,
		    'nhs_number', k.nhs_number,
		    'date_of_birth', k.date_of_birth, 'sex', k.sex,
		    'date_of_death', k.date_of_death,
		    'time_of_death', to_char(k.time_of_death, 'HH24:MI'),
		    'place_of_death', k.place_of_death,
		    'place_detail', k.place_detail,
		    'attending_practitioner', jsonb_build_object('name', k.ap_name,
		        'gmc_number', k.ap_gmc),
		    'notified_at', rfc3339(k.notified_at),
		    'ethnicity', k.ethnicity,
		    'priority', jsonb_build_object('child', k.prio_child,
		        'faith', k.prio_faith, 'cultural', k.prio_cultural,
		        'coroner', k.prio_coroner, 'other', k.prio_other,
		        'detail', k.prio_detail),
		    'urgent_release', jsonb_build_object('requested',
		        k.urgent_requested, 'reason', k.urgent_reason,
		        'outcome', k.urgent_outcome),
		    'examiner', e.username, 'officer', f.username,
		    'independent', k.independent,
		    'cause_of_death', k.cause_of_death,
		    'final_actions', k.final_actions,
		    'mccd_issued_on', k.mccd_issued_on,
		    'representatives', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		        'id', r.id::text, 'name', r.name,
		        'relationship', r.relationship, 'phone', r.phone,
		        'email', r.email, 'present_at_death', r.present_at_death,
		        'is_informant', r.is_informant,
		        'recorded_at', rfc3339(r.recorded_at)) ORDER BY r.id), '[]')
		        FROM representatives r WHERE r.case_id = k.id),
		    'contacts', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		        'id', t.id::text,
		        'representative_id', t.representative_id::text,
		        'person_name', t.person_name,
		        'relationship', t.relationship, 'method', t.method,
		        'outcome', t.outcome, 'at', rfc3339(t.at),
		        'questions', t.questions,
		        'concerns_raised', t.concerns_raised,
		        'concerns', t.concerns, 'actor', u.username,
		        'recorded_at', rfc3339(t.recorded_at)) ORDER BY t.id), '[]')
		        FROM contacts t JOIN users u ON u.id = t.author_id
		        WHERE t.case_id = k.id),
		    'contacts_exhausted', (SELECT coalesce(jsonb_agg(
		        jsonb_build_object('id', x.id::text, 'reason', x.reason,
		        'detail', x.detail, 'actor', u.username,
		        'recorded_at', rfc3339(x.recorded_at)) ORDER BY x.id), '[]')
		        FROM contact_exhaustions x JOIN users u ON u.id = x.author_id
		        WHERE x.case_id = k.id),
		    'coroner_referral', (SELECT coroner_referral_json(cr)
		        FROM coroner_referrals cr WHERE cr.case_id = k.id
		        ORDER BY cr.id DESC LIMIT 1),
		    'deadline', rfc3339(k.deadline),
		    'overdue', case_overdue(k.state, k.deadline),
		    'created_at', rfc3339(k.created_at),
		    'updated_at', rfc3339(k.updated_at))
		    || CASE WHEN NOT p_full THEN '{}'::jsonb ELSE jsonb_build_object(
		    'notes', (SELECT coalesce(jsonb_agg(case_note_json(n)
		        ORDER BY n.id), '[]')
		        FROM case_notes n WHERE n.case_id = k.id),
		    'practitioner_discussions', (SELECT coalesce(jsonb_agg(
		        jsonb_build_object('id', d.id::text,
		        'practitioner', jsonb_build_object('name', d.name,
		            'gmc_number', d.gmc_number),
		        'at', rfc3339(d.at), 'happened', d.happened,
		        'reason_not', d.reason_not,
		        'proposed_cause', d.proposed_cause, 'outcome', d.outcome,
		        'actor', u.username, 'recorded_at', rfc3339(d.recorded_at))
		        ORDER BY d.id), '[]')
		        FROM practitioner_discussions d
		        JOIN users u ON u.id = d.author_id WHERE d.case_id = k.id),
		    'governance_referrals', (SELECT coalesce(jsonb_agg(
		        jsonb_build_object('id', g.id::text, 'kind', g.kind,
		        'reason', g.reason, 'contact_id', g.contact_id::text,
		        'actor', u.username, 'recorded_at', rfc3339(g.recorded_at))
		        ORDER BY g.id), '[]')
		        FROM governance_referrals g JOIN users u ON u.id = g.author_id
		        WHERE g.case_id = k.id)) END
		FROM cases k
		JOIN offices o ON o.id = k.office_id
		LEFT JOIN users e ON e.id = k.examiner_id
		LEFT JOIN users f ON f.id = k.officer_id
		WHERE k.id = p_id);
END
$$;

CREATE OR REPLACE FUNCTION case_lock(p_id text)
RETURNS cases LANGUAGE plpgsql AS $$
DECLARE
	k	cases;
BEGIN
	IF p_id !~ '^[0-9]{1,18}$' THEN
		RETURN NULL;
	END IF;
	SELECT * INTO k FROM cases
	WHERE id = p_id::bigint
	  AND office_id = current_setting('medex.office_id', true)::bigint
	FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	RETURN k;
END
$$;

CREATE OR REPLACE FUNCTION case_note_json(n case_notes)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN jsonb_build_object('id', n.id::text, 'kind', n.kind,
	    'text', n.text, 'amends', n.amends::text,
	    'circumstances', n.circumstances,
	    'proposed_outcome', n.proposed_outcome,
	    'actor', (SELECT username FROM users WHERE id = n.author_id),
	    'at', rfc3339(n.at));
END
$$;

CREATE OR REPLACE FUNCTION user_json(p_user_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT jsonb_build_object('username', u.username,
	    'display_name', u.display_name, 'role', u.role, 'office', o.code)
	    FROM users u JOIN offices o ON o.id = u.office_id
	    WHERE u.id = p_user_id);
END
$$;

CREATE OR REPLACE FUNCTION user_admin_json(p_user_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT user_json(u.id) || jsonb_build_object('disabled',
	    u.disabled, 'version', u.version)
	    FROM users u WHERE u.id = p_user_id);
END
$$;

CREATE OR REPLACE FUNCTION case_target_days(p_office bigint)
RETURNS integer LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT target_days FROM offices WHERE id = p_office);
END
$$;

-- Every whole-case read appends a `viewed` event, so views are most of
-- the trail, and each one went into all four of its indexes.  Nothing
-- looks a view up by its action: this index serves the export's "first
-- end of scrutiny" test, which asks for transitions.  Without the views
-- it is smaller, and a read touches one index page fewer (at 6M cases
-- that page was a read from disk about once per view).
DROP INDEX case_events_case_action;
CREATE INDEX case_events_case_action ON case_events (case_id, action, seq)
    WHERE action <> 'viewed';

-- A read also moves the case's chain head (event_seq, event_hash).  When
-- the row's page has room the new version stays on it and no index
-- changes (a HOT update); a full page puts it elsewhere and adds an entry
-- to each of the twelve indexes of cases.  Measured at 6M cases: 48%
-- of updates were HOT.  New pages now keep a fifth free for them.
ALTER TABLE cases SET (fillfactor = 80);
