-- What the case functions share: finding and locking a case, the
-- checks before a write, the case's JSON, and its hash-chained trail of
-- events.

-- What is hashed (hash version 1, every event before migration
-- event_digest): every column of the event but its id and hashes, in
-- a fixed order; jsonb's text form is canonical (sorted keys).
--
-- STABLE, not IMMUTABLE, so that it is inlined (see rfc3339).
CREATE OR REPLACE FUNCTION case_event_canonical(p_case_id bigint, p_seq integer,
    p_at timestamptz, p_actor text, p_role text, p_action text,
    p_changes jsonb)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT p_case_id || '|' || p_seq || '|'
	    || to_char(p_at AT TIME ZONE 'UTC',
	       'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
	    || '|' || p_actor || '|' || p_role || '|' || p_action || '|'
	    || p_changes::text
$$;

-- Hash version 2 (issue 19): the same columns, but `changes` (an
-- object) as the digest of each of its top-level keys, so that the
-- retention purge can remove a value and keep its digest, and the
-- chain still verifies (sql/retention.sql):
--
--   v2|case|seq|time|actor|role|action|"key":digest,"key2":digest2
--
-- keys as JSON strings in jsonb's order (its text form's), a digest in
-- hex.  A key's digest is the SHA-256 of its own random salt (salts:
-- {"key": 32 hex digits}), "|" and the value's jsonb text; purged
-- ({"key": digest}) holds the digest of a value that was removed.  The
-- salt is what makes removal real: the digest of an NHS number or a
-- date of birth alone gives the value back to whoever tries them all;
-- the purge drops the salt with the value.
--
-- NULL when a key has neither a salt nor a purged digest, so that such
-- an event cannot be written (case_events.hash is NOT NULL).  The C
-- verifier (app/core/audit_event.c) builds the same text itself; its
-- unit vectors come from these functions.
CREATE OR REPLACE FUNCTION case_event_digest(p_salt text, p_value jsonb)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT encode(sha256(convert_to(p_salt || '|' || p_value::text,
	    'UTF8')), 'hex')
$$;

CREATE OR REPLACE FUNCTION case_event_digests(p_changes jsonb,
    p_salts jsonb, p_purged jsonb)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN count(*) = count(d) THEN coalesce(string_agg(
	    k || ':' || d, ',' ORDER BY n), '') END
	FROM (SELECT n, to_jsonb(key)::text AS k, coalesce(p_purged->>key,
	    case_event_digest(p_salts->>key, value)) AS d
	    FROM jsonb_each(p_changes) WITH ORDINALITY AS t(key, value, n)) x
$$;

CREATE OR REPLACE FUNCTION case_event_canonical_v2(p_case_id bigint,
    p_seq integer, p_at timestamptz, p_actor text, p_role text,
    p_action text, p_changes jsonb, p_salts jsonb, p_purged jsonb)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT 'v2|' || p_case_id || '|' || p_seq || '|'
	    || to_char(p_at AT TIME ZONE 'UTC',
	       'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
	    || '|' || p_actor || '|' || p_role || '|' || p_action || '|'
	    || case_event_digests(p_changes, p_salts, p_purged)
$$;

-- The canonical text of a stored event, by its hash version: for the
-- tests and the owner's own checks.  medexctl audit verify never uses
-- it (it builds the text in C).
CREATE OR REPLACE FUNCTION case_event_canonical_of(e case_events)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT CASE e.hash_version
	WHEN 1 THEN case_event_canonical(e.case_id, e.seq, e.at, e.actor,
	    e.actor_role, e.action, e.changes)
	WHEN 2 THEN case_event_canonical_v2(e.case_id, e.seq, e.at,
	    e.actor, e.actor_role, e.action, e.changes, e.salts, e.purged)
	END
$$;

-- STABLE, not IMMUTABLE, so that it is inlined (see rfc3339).
CREATE OR REPLACE FUNCTION case_event_hash(p_prev text, p_canonical text)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT encode(sha256(convert_to(p_prev || '|' || p_canonical,
	    'UTF8')), 'hex')
$$;

-- Appends an event, now, by the caller.  The caller holds the case's
-- row lock.
CREATE OR REPLACE FUNCTION case_event_add(p_case_id bigint, c auth_ctx,
    p_action text, p_changes jsonb)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM case_event_append(p_case_id,
	    date_trunc('microseconds', clock_timestamp()), c.username, c.role,
	    p_action, p_changes);
END
$$;

-- Appends an event with its time and actor given: case_event_add's,
-- or a read's recorded in case_views (case_views_chain, which chains
-- it later with the time of the read).  Hash version 2 (the column's
-- default: the server's role may not write hash_version), with a new
-- salt for each key of its changes.  The caller holds the case's row
-- lock.
CREATE OR REPLACE FUNCTION case_event_append(p_case_id bigint,
    p_at timestamptz, p_actor text, p_role text, p_action text,
    p_changes jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_seq	integer;
	v_prev	text;
	v_office bigint;
	v_changes jsonb := coalesce(p_changes, '{}');
	v_salts	jsonb;
	v_hash	text;
BEGIN
	SELECT event_seq + 1, event_hash, office_id
	INTO v_seq, v_prev, v_office
	FROM cases WHERE id = p_case_id;
	-- gen_random_uuid(): 122 bits from the server's strong random
	-- source, as 32 hex digits.
	SELECT coalesce(jsonb_object_agg(key, replace(gen_random_uuid()::text,
	    '-', '')), '{}')
	INTO v_salts
	FROM jsonb_object_keys(v_changes) key;
	v_hash := case_event_hash(v_prev, case_event_canonical_v2(p_case_id,
	    v_seq, p_at, p_actor, p_role, p_action, v_changes, v_salts,
	    '{}'));
	INSERT INTO case_events (case_id, office_id, seq, at, actor,
	    actor_role, action, changes, salts, prev_hash, hash)
	VALUES (p_case_id, v_office, v_seq, p_at, p_actor, p_role,
	    p_action, v_changes, v_salts, v_prev, v_hash);
	UPDATE cases SET event_seq = v_seq, event_hash = v_hash
	WHERE id = p_case_id;
END
$$;

-- An event's purged keys as its JSON gives them: {"purged": [keys]}
-- when the retention purge removed values (null in changes), else {}.
-- Shared by the trail (case_event_json) and the case page's timeline
-- (case_timeline_json).  No subquery, which would keep it and its
-- callers from being inlined; STABLE, not IMMUTABLE, likewise.
CREATE OR REPLACE FUNCTION case_event_purged_json(p_purged jsonb)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_purged <> '{}' THEN jsonb_build_object('purged',
	    jsonb_path_query_array(p_purged, '$.keyvalue().key'))
	    ELSE '{}' END
$$;

-- STABLE, not IMMUTABLE, so that it is inlined (see rfc3339).
CREATE OR REPLACE FUNCTION case_event_json(e case_events)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', e.id::text, 'seq', e.seq,
	    'at', rfc3339(e.at), 'actor', e.actor, 'role', e.actor_role,
	    'action', e.action, 'changes', e.changes, 'hash', e.hash,
	    'prev_hash', nullif(e.prev_hash, ''))
	    || case_event_purged_json(e.purged)
$$;

CREATE OR REPLACE FUNCTION case_is_final(p_state text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT p_state IN ('closed', 'coroner_investigating', 'withdrawn')
$$;

-- Search (issue 18): a name or query as staff type it, lower case,
-- without accents (unaccent: Ŵ = W, é = e), apostrophes and full stops
-- dropped (O'Connor = OConnor), any other run of punctuation or space
-- one space.  STABLE as unaccent is (its dictionary is a file).
CREATE OR REPLACE FUNCTION case_search_norm(p text)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT btrim(regexp_replace(regexp_replace(lower(
	    public.unaccent('public.unaccent'::regdictionary, p)),
	    '[''`.’‘]', '', 'g'), '[^a-z0-9]+', ' ', 'g'))
$$;

-- The cases.search_name of a case (migration queue_search (0015 here, 0017 once merged) backfills it with the
-- same body): the words, then the words run together, each side a
-- space, so that a word of the query matches at a word's start
-- ('% connor%') and the query run together anywhere ('%oconnor%'
-- finds "O Connor").
CREATE OR REPLACE FUNCTION case_search_name(p_given text, p_family text)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT ' ' || w || ' ' || replace(w, ' ', '') || ' '
	FROM case_search_norm(p_given || ' ' || p_family) w
$$;

-- The entries of a name in case_search_words (migration 0031, whose
-- backfill has this body): each word of the name, and the words run
-- together from each word to the last ("mary", "o", "connor",
-- "maryoconnor", "oconnor"), so that a query word found at the start
-- of an entry is at the start of a word, and "OConnor" finds "Mary O
-- Connor".  The argument is a cases.search_name (case_search_name):
-- its words, then all of them run together, which is not an entry
-- here but the last run.  NULL (a purged case) has none.
CREATE OR REPLACE FUNCTION case_search_entries(p_search_name text)
RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
	SELECT DISTINCT e FROM
	    (SELECT string_to_array(btrim(p_search_name), ' ') AS t) a,
	    generate_series(1, array_length(a.t, 1) - 1) i,
	    LATERAL (VALUES (a.t[i]),
		(array_to_string(a.t[i:array_length(a.t, 1) - 1], ''))) x(e)
$$;

-- Keeps the name search's tables as cases.search_name: the search
-- reads case_search_words (migration 0031), which row-level security
-- does not cover, so that its btree serves each word's range (a policy
-- comes before any condition that is not leakproof, so on cases it
-- could not).  case_search_names holds the name each case's entries
-- were made from, so that they can be deleted by the words table's
-- own key.  Every writer of cases.search_name calls this in the same
-- transaction.
CREATE OR REPLACE FUNCTION case_search_name_keep(p_case_id bigint,
    p_office_id bigint, p_search_name text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	o	case_search_names;
BEGIN
	SELECT * INTO o FROM case_search_names WHERE case_id = p_case_id
	    FOR UPDATE;
	IF FOUND THEN
		DELETE FROM case_search_words
		WHERE office_id = o.office_id AND case_id = p_case_id
		    AND word IN (SELECT case_search_entries(o.search_name));
	END IF;
	INSERT INTO case_search_names (case_id, office_id, search_name)
	VALUES (p_case_id, p_office_id, p_search_name)
	ON CONFLICT (case_id) DO UPDATE
	SET office_id = EXCLUDED.office_id,
	    search_name = EXCLUDED.search_name;
	INSERT INTO case_search_words (office_id, word, case_id)
	SELECT p_office_id, e, p_case_id
	FROM case_search_entries(p_search_name) e;
END
$$;

CREATE OR REPLACE FUNCTION case_overdue(p_state text, p_deadline timestamptz)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT p_state IN ('notified', 'in_scrutiny') AND now() > p_deadline
$$;

CREATE OR REPLACE FUNCTION coroner_referral_json(r coroner_referrals)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN r.id IS NULL THEN NULL ELSE jsonb_build_object(
	    'id', r.id::text, 'categories', to_jsonb(r.categories),
	    'reason', r.reason, 'recorded_at', rfc3339(r.recorded_at),
	    'referred_at', rfc3339(r.referred_at),
	    'decision', r.decision, 'decided_at', rfc3339(r.decided_at),
	    'coroner_reference', r.coroner_reference,
	    'sent_at', rfc3339(r.sent_at), 'sent_method', r.sent_method,
	    'sent_by', (SELECT username FROM users WHERE id = r.sent_by),
	    'acknowledged_at', rfc3339(r.acknowledged_at),
	    'acknowledged_by', (SELECT username FROM users
	        WHERE id = r.acknowledged_by),
	    'acknowledgement_reference', r.acknowledgement_reference) END
$$;

-- PL/pgSQL rather than SQL, so that its plans are kept for the life of
-- the connection (see case_json).
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

-- A case's priority flags and its urgent release as every answer that
-- names them shows them (case_json, the case list).  STABLE, so that
-- they are inlined (test_migrate).
CREATE OR REPLACE FUNCTION case_priority_json(k cases)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('child', k.prio_child,
	    'faith', k.prio_faith, 'cultural', k.prio_cultural,
	    'coroner', k.prio_coroner, 'other', k.prio_other,
	    'detail', k.prio_detail)
$$;

CREATE OR REPLACE FUNCTION case_urgent_release_json(k cases)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('requested', k.urgent_requested,
	    'reason', k.urgent_reason, 'outcome', k.urgent_outcome)
$$;

-- The whole case.  p_full is false for a liaison officer, who does not
-- see notes, practitioner discussions or governance referrals.
--
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
		    'priority', case_priority_json(k),
		    'urgent_release', case_urgent_release_json(k),
		    'examiner', e.username, 'officer', f.username,
		    'independent', k.independent,
		    'learning_disability_or_autism',
		        k.learning_disability_or_autism,
		    'severe_mental_illness', k.severe_mental_illness,
		    'leder_notified_at', k.leder_notified_at,
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
		    'updated_at', rfc3339(k.updated_at),
		    'warnings', case_warnings_json(k.id))
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

-- The case p_id (from the URL) of the caller's office, locked for the
-- rest of the statement, or a row of NULLs.  RLS alone would hide
-- another office's case; the office filter says so out loud.
--
-- PL/pgSQL rather than SQL, so that its plans are kept for the life of
-- the connection (see case_json).
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

-- Reading the trail or the notes locked the case's row (case_lock, FOR
-- UPDATE) though it writes nothing.  Locking a row gives the transaction
-- an id, so its commit waited for a WAL flush: pgbench at one client on
-- the 10k bench, 6.7 ms a call for GET .../events against 1.9 ms for the
-- whole-case read (whose view is committed without the wait, 0008).  It
-- also made a read of the trail wait behind a write to the case.  A
-- statement reads one snapshot, so the list is consistent without the
-- lock; api_case_events and api_case_notes read the case with case_find, the same lookup without
-- FOR UPDATE.
CREATE OR REPLACE FUNCTION case_find(p_id text)
RETURNS cases LANGUAGE plpgsql STABLE AS $$
DECLARE
	k	cases;
BEGIN
	IF p_id !~ '^[0-9]{1,18}$' THEN
		RETURN NULL;
	END IF;
	SELECT * INTO k FROM cases
	WHERE id = p_id::bigint
	  AND office_id = current_setting('medex.office_id', true)::bigint;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	RETURN k;
END
$$;

-- API.md's order of checks for a case route, after 401: 404, 403,
-- 428/412, then the request's own 422 (found in C, passed as
-- p_invalid).  A result with a NULL status means "go on".
CREATE OR REPLACE FUNCTION case_check(c auth_ctx, k cases, p_role_ok boolean,
    p_need_match boolean, p_if_match integer, p_invalid jsonb)
RETURNS api_result LANGUAGE plpgsql AS $$
BEGIN
	IF k.id IS NULL THEN
		RETURN api_error(404, 'not_found',
		    'There is no such case in your office.');
	END IF;
	IF NOT p_role_ok THEN
		PERFORM security_log('forbidden', c.username, c.office_code,
		    'case/' || k.id, NULL);
		RETURN api_error(403, 'forbidden',
		    'Your role may not do this on a case.');
	END IF;
	RETURN case_check_request(k, p_need_match, p_if_match, p_invalid);
END
$$;

CREATE OR REPLACE FUNCTION case_check_request(k cases, p_need_match boolean,
    p_if_match integer, p_invalid jsonb)
RETURNS api_result LANGUAGE plpgsql AS $$
BEGIN
	-- A body the C side could not read ({"$error": {status, code,
	-- message}}): 415 before 428, 413 and 400 after 412 (API.md's
	-- order of checks, issue 19).
	IF p_invalid ? '$error'
	    AND (p_invalid->'$error'->>'status')::integer = 415 THEN
		RETURN body_refusal(p_invalid);
	END IF;
	IF p_need_match AND p_if_match IS NULL THEN
		RETURN api_error(428, 'precondition_required',
		    'Send If-Match with the version of the case you last read.');
	END IF;
	IF p_if_match IS NOT NULL AND p_if_match <> k.version THEN
		RETURN api_error(412, 'version_mismatch',
		    'This case was changed since you read it; reload and try again.');
	END IF;
	IF p_invalid ? '$error' THEN
		RETURN body_refusal(p_invalid);
	END IF;
	IF p_invalid IS NOT NULL THEN
		RETURN api_error(422, 'validation_failed',
		    'Some fields are missing or not valid; see fields.',
		    p_invalid);
	END IF;
	RETURN ROW(NULL, NULL, NULL, NULL)::api_result;
END
$$;

-- The refusal of a body the C side could not read, passed down as
-- {"$error": {"status", "code", "message"}} (api_body_err_json()).
CREATE OR REPLACE FUNCTION body_refusal(p_invalid jsonb)
RETURNS api_result LANGUAGE sql STABLE AS $$
	SELECT api_error((p_invalid->'$error'->>'status')::integer,
	    p_invalid->'$error'->>'code', p_invalid->'$error'->>'message')
$$;

-- STABLE, not IMMUTABLE, so that it is inlined (see rfc3339).
CREATE OR REPLACE FUNCTION case_final_refusal(k cases)
RETURNS api_result LANGUAGE sql STABLE AS $$
	SELECT api_error(409, 'invalid_transition',
	    'This case is ' || k.state || ' and can no longer change.',
	    NULL, jsonb_build_object('from', k.state, 'to', NULL))
$$;

-- Ends a case write: bumps the version, appends the event, answers
-- with the whole case as the caller may see it.
CREATE OR REPLACE FUNCTION case_done(c auth_ctx, p_id bigint, p_action text,
    p_changes jsonb, p_status integer, p_location text)
RETURNS api_result LANGUAGE plpgsql AS $$
DECLARE
	v	integer;
BEGIN
	UPDATE cases SET version = version + 1, updated_at = now()
	WHERE id = p_id RETURNING version INTO v;
	PERFORM case_event_add(p_id, c, p_action, p_changes);
	RETURN api_ok(p_status, case_json(p_id, c.role <> 'liaison_officer'),
	    v, p_location);
END
$$;

-- PL/pgSQL rather than SQL, so that its plans are kept for the life of
-- the connection (see case_json).
CREATE OR REPLACE FUNCTION case_target_days(p_office bigint)
RETURNS integer LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT target_days FROM offices WHERE id = p_office);
END
$$;

-- Writes the editable columns of n over the row and returns the
-- changes ({"column": {"old", "new"}}) of the columns named in p_cols.
CREATE OR REPLACE FUNCTION case_update_cols(k cases, p_cols jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	n	cases := jsonb_populate_record(k, p_cols);
	v_old	jsonb := to_jsonb(k);
	v_new	jsonb;
BEGIN
	-- The case keeps the target it was created with (its own days,
	-- rounded across a clock change), not the office's target of
	-- today: a changed target moves new cases only (api_office_patch).
	IF n.notified_at IS DISTINCT FROM k.notified_at THEN
		n.deadline := n.notified_at + make_interval(days =>
		    round(extract(epoch FROM k.deadline - k.notified_at)
		    / 86400)::integer);
	END IF;
	UPDATE cases SET given_name = n.given_name,
	    family_name = n.family_name,
	    search_name = case_search_name(n.given_name, n.family_name),
	    nhs_number = n.nhs_number,
	    date_of_birth = n.date_of_birth, sex = n.sex,
	    date_of_death = n.date_of_death, time_of_death = n.time_of_death,
	    place_of_death = n.place_of_death, place_detail = n.place_detail,
	    ap_name = n.ap_name, ap_gmc = n.ap_gmc,
	    notified_at = n.notified_at, deadline = n.deadline,
	    ethnicity = n.ethnicity, prio_child = n.prio_child,
	    prio_faith = n.prio_faith, prio_cultural = n.prio_cultural,
	    prio_coroner = n.prio_coroner, prio_other = n.prio_other,
	    prio_detail = n.prio_detail,
	    urgent_requested = n.urgent_requested,
	    urgent_reason = n.urgent_reason,
	    urgent_outcome = n.urgent_outcome,
	    examiner_id = n.examiner_id, officer_id = n.officer_id,
	    independent = n.independent,
	    learning_disability_or_autism = n.learning_disability_or_autism,
	    severe_mental_illness = n.severe_mental_illness,
	    leder_notified_at = n.leder_notified_at,
	    cause_of_death = n.cause_of_death,
	    final_actions = n.final_actions
	WHERE id = k.id;
	-- Most writes leave the name alone: the search table only when
	-- it changed (a row written for nothing is a dead tuple to vacuum).
	IF n.given_name IS DISTINCT FROM k.given_name OR
	    n.family_name IS DISTINCT FROM k.family_name THEN
		PERFORM case_search_name_keep(k.id, k.office_id,
		    case_search_name(n.given_name, n.family_name));
	END IF;
	v_new := to_jsonb(n);
	RETURN (SELECT coalesce(jsonb_object_agg(key, jsonb_build_object(
	    'old', v_old->key, 'new', v_new->key)), '{}')
	    FROM jsonb_object_keys(p_cols) key
	    WHERE v_old->key IS DISTINCT FROM v_new->key);
END
$$;

-- STABLE, not IMMUTABLE, so that it is inlined (see rfc3339).
CREATE OR REPLACE FUNCTION case_duplicate_error(p_existing bigint)
RETURNS api_result LANGUAGE sql STABLE AS $$
	SELECT api_error(409, 'conflict',
	    'A case for this NHS number and date of death is already open in your office.',
	    jsonb_build_object('nhs_number', 'already has an open case'),
	    jsonb_build_object('existing_case', p_existing::text))
$$;
