-- Cases (API.md "Cases"): the deceased, the scrutiny records the state
-- machine's guards read, and the event trail.
--
-- Every table holding case data carries office_id and is under
-- row-level security keyed on medex.office_id, which auth_check() sets
-- for the statement's transaction: a query that forgot its office
-- filter still sees one office only.  FORCE makes the owner obey it too
-- (medexctl sets medex.office_id per office where it must read cases).
--
-- The transition table itself is not here: it lives in C
-- (app/core/case_state.c) and the handler passes the decisions for the
-- caller's role and target state into api_case_transition(), which
-- applies them to the locked row in the same statement that checks the
-- guards, bumps the version and appends the event.

CREATE FUNCTION rfc3339(t timestamptz)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

CREATE FUNCTION london_date(t timestamptz)
RETURNS date LANGUAGE sql IMMUTABLE AS $$
	SELECT (t AT TIME ZONE 'Europe/London')::date
$$;

CREATE TABLE cases (
	id		bigserial PRIMARY KEY,
	office_id	bigint NOT NULL REFERENCES offices (id),
	state		text NOT NULL DEFAULT 'notified' CHECK (state IN (
			    'notified', 'in_scrutiny', 'referred_to_coroner',
			    'coroner_investigating', 'awaiting_mccd',
			    'mccd_issued', 'closed', 'withdrawn')),
	version		integer NOT NULL DEFAULT 1 CHECK (version >= 1),
	given_name	text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 200),
	family_name	text NOT NULL CHECK (length(family_name) BETWEEN 1 AND 200),
	nhs_number	text CHECK (nhs_number ~ '^[0-9]{10}$'
			    AND nhs_number !~ '^(.)\1{9}$'),
	date_of_birth	date NOT NULL,
	sex		text NOT NULL CHECK (sex IN ('female', 'male',
			    'indeterminate', 'unknown')),
	date_of_death	date NOT NULL,
	time_of_death	time,
	place_of_death	text NOT NULL CHECK (place_of_death IN ('hospital',
			    'hospice', 'care_home', 'home', 'other')),
	place_detail	text CHECK (length(place_detail) <= 500),
	ap_name		text NOT NULL CHECK (length(ap_name) BETWEEN 1 AND 200),
	ap_gmc		text NOT NULL CHECK (ap_gmc ~ '^[0-9]{7}$'),
	notified_at	timestamptz NOT NULL,
	deadline	timestamptz NOT NULL,
	ethnicity	text CHECK (ethnicity ~ '^[A-SZ]$'),
	prio_child	boolean NOT NULL DEFAULT false,
	prio_faith	boolean NOT NULL DEFAULT false,
	prio_cultural	boolean NOT NULL DEFAULT false,
	prio_coroner	boolean NOT NULL DEFAULT false,
	prio_other	boolean NOT NULL DEFAULT false,
	prio_detail	text CHECK (length(prio_detail) <= 500),
	urgent_requested boolean NOT NULL DEFAULT false,
	urgent_reason	text CHECK (urgent_reason IN ('faith', 'organ_donation',
			    'other')),
	urgent_outcome	text CHECK (urgent_outcome IN ('achieved',
			    'not_achieved')),
	-- Priority flags and urgent release go first in every queue.
	urgent		boolean GENERATED ALWAYS AS (prio_child OR prio_faith
			    OR prio_cultural OR prio_coroner OR prio_other
			    OR urgent_requested) STORED,
	examiner_id	bigint REFERENCES users (id),
	officer_id	bigint REFERENCES users (id),
	independent	boolean NOT NULL DEFAULT false,
	cause_of_death	jsonb CHECK (cause_of_death IS NULL OR
			    cause_of_death->>'form' IN ('standard', 'neonatal')),
	final_actions	jsonb,
	mccd_issued_on	date,
	-- The head of the event chain, kept here so that appending an
	-- event needs only the row lock every case write takes anyway.
	event_seq	integer NOT NULL DEFAULT 0,
	event_hash	text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT cases_born_before_death
	    CHECK (date_of_birth <= date_of_death),
	CONSTRAINT cases_notified_after_death
	    CHECK (london_date(notified_at) >= date_of_death)
);

-- One open case per NHS number and date of death in an office.
CREATE UNIQUE INDEX cases_open_nhs ON cases (office_id, nhs_number,
    date_of_death) WHERE nhs_number IS NOT NULL
    AND state NOT IN ('closed', 'coroner_investigating', 'withdrawn');
-- The queues: newest/oldest, by state, by person, overdue, urgency.
CREATE INDEX cases_office_id ON cases (office_id, id);
CREATE INDEX cases_office_state ON cases (office_id, state, id);
CREATE INDEX cases_office_examiner ON cases (office_id, examiner_id, id);
CREATE INDEX cases_office_officer ON cases (office_id, officer_id, id);
CREATE INDEX cases_office_overdue ON cases (office_id, deadline)
    WHERE state IN ('notified', 'in_scrutiny');
CREATE INDEX cases_office_urgency ON cases (office_id, urgent DESC,
    deadline, id) WHERE state NOT IN ('closed', 'coroner_investigating',
    'withdrawn');
-- Search: NHS number exactly, names by case-insensitive prefix.
CREATE INDEX cases_office_nhs ON cases (office_id, nhs_number);
CREATE INDEX cases_office_family ON cases (office_id,
    lower(family_name) text_pattern_ops);
CREATE INDEX cases_office_given ON cases (office_id,
    lower(given_name) text_pattern_ops);

CREATE TABLE case_notes (
	id		bigserial PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id),
	office_id	bigint NOT NULL REFERENCES offices (id),
	kind		text NOT NULL CHECK (kind IN ('admission',
			    'officer_summary', 'medical_history',
			    'record_review', 'other')),
	text		text NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
	amends		bigint,
	circumstances	text CHECK (circumstances IN ('expected', 'unexpected',
			    'sudden_not_unexpected')),
	proposed_outcome text CHECK (proposed_outcome IN ('mccd', 'coroner')),
	author_id	bigint NOT NULL REFERENCES users (id),
	at		timestamptz NOT NULL DEFAULT now(),
	UNIQUE (id, case_id),
	-- An amendment names an earlier note of the same case.
	FOREIGN KEY (amends, case_id) REFERENCES case_notes (id, case_id)
);
CREATE INDEX case_notes_case ON case_notes (case_id, id);

CREATE TABLE practitioner_discussions (
	id		bigserial PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id),
	office_id	bigint NOT NULL REFERENCES offices (id),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	gmc_number	text NOT NULL CHECK (gmc_number ~ '^[0-9]{7}$'),
	at		timestamptz NOT NULL,
	happened	boolean NOT NULL,
	reason_not	text,
	proposed_cause	text,
	outcome		text NOT NULL CHECK (outcome IN ('agreed', 'revised',
			    'refer_to_coroner', 'not_held')),
	author_id	bigint NOT NULL REFERENCES users (id),
	recorded_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (happened OR reason_not IS NOT NULL)
);
CREATE INDEX practitioner_discussions_case ON practitioner_discussions
    (case_id, id);

CREATE TABLE representatives (
	id		bigserial PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id),
	office_id	bigint NOT NULL REFERENCES offices (id),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	relationship	text NOT NULL CHECK (length(relationship) BETWEEN 1 AND 200),
	phone		text,
	email		text,
	present_at_death boolean,
	is_informant	boolean,
	author_id	bigint NOT NULL REFERENCES users (id),
	recorded_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (id, case_id)
);
CREATE INDEX representatives_case ON representatives (case_id, id);

CREATE TABLE contacts (
	id		bigserial PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id),
	office_id	bigint NOT NULL REFERENCES offices (id),
	representative_id bigint,
	person_name	text NOT NULL CHECK (length(person_name) BETWEEN 1 AND 200),
	relationship	text NOT NULL CHECK (length(relationship) BETWEEN 1 AND 200),
	method		text NOT NULL CHECK (method IN ('phone', 'video',
			    'in_person', 'email', 'letter')),
	outcome		text NOT NULL CHECK (outcome IN ('reached', 'no_answer',
			    'voicemail', 'declined', 'wrong_number')),
	at		timestamptz NOT NULL,
	questions	text,
	concerns_raised	boolean NOT NULL,
	concerns	text,
	author_id	bigint NOT NULL REFERENCES users (id),
	recorded_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (id, case_id),
	CHECK (NOT concerns_raised OR concerns IS NOT NULL),
	FOREIGN KEY (representative_id, case_id)
	    REFERENCES representatives (id, case_id)
);
CREATE INDEX contacts_case ON contacts (case_id, id);

CREATE TABLE contact_exhaustions (
	id		bigserial PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id),
	office_id	bigint NOT NULL REFERENCES offices (id),
	reason		text NOT NULL CHECK (reason IN ('declined',
			    'no_response', 'no_contacts', 'other')),
	detail		text,
	author_id	bigint NOT NULL REFERENCES users (id),
	recorded_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_exhaustions_case ON contact_exhaustions (case_id, id);

-- A case may be referred more than once; the newest referral is the
-- current one, open until the coroner's decision is recorded on it.
CREATE TABLE coroner_referrals (
	id		bigserial PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id),
	office_id	bigint NOT NULL REFERENCES offices (id),
	categories	text[] NOT NULL CHECK (cardinality(categories) >= 1
			    AND categories <@ ARRAY['poisoning',
			    'exposure_to_toxic_substance',
			    'medicinal_product_or_drug', 'violence',
			    'trauma_or_injury', 'self_harm', 'neglect',
			    'treatment_or_procedure', 'employment_related',
			    'other_unnatural', 'unknown_cause',
			    'in_custody_or_state_detention',
			    'no_attending_practitioner',
			    'practitioner_not_available', 'identity_unknown']),
	reason		text NOT NULL CHECK (length(reason) BETWEEN 1 AND 5000),
	recorded_at	timestamptz NOT NULL DEFAULT now(),
	referred_at	timestamptz,
	decision	text CHECK (decision IN ('investigating',
			    'not_investigating')),
	decided_at	timestamptz,
	coroner_reference text,
	decision_recorded_at timestamptz,
	author_id	bigint NOT NULL REFERENCES users (id),
	CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX coroner_referrals_case ON coroner_referrals (case_id, id);

CREATE TABLE governance_referrals (
	id		bigserial PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id),
	office_id	bigint NOT NULL REFERENCES offices (id),
	kind		text NOT NULL CHECK (kind IN (
			    'structured_judgement_review', 'patient_safety',
			    'learning_from_deaths', 'pals', 'other', 'none')),
	reason		text NOT NULL CHECK (length(reason) BETWEEN 1 AND 5000),
	-- The contact whose concern this decides, when the client says.
	contact_id	bigint,
	author_id	bigint NOT NULL REFERENCES users (id),
	recorded_at	timestamptz NOT NULL DEFAULT now(),
	FOREIGN KEY (contact_id, case_id) REFERENCES contacts (id, case_id)
);
CREATE INDEX governance_referrals_case ON governance_referrals (case_id, id);
CREATE INDEX governance_referrals_office_at ON governance_referrals
    (office_id, recorded_at);

-- The trail: append-only for the server, hash-chained per case.  hash
-- is the SHA-256 of prev_hash and case_event_canonical() of the row;
-- medexctl audit verify recomputes both.
CREATE TABLE case_events (
	id		bigserial PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id),
	office_id	bigint NOT NULL REFERENCES offices (id),
	seq		integer NOT NULL CHECK (seq >= 1),
	at		timestamptz NOT NULL,
	actor		text NOT NULL,
	actor_role	text NOT NULL,
	action		text NOT NULL,
	changes		jsonb NOT NULL DEFAULT '{}',
	prev_hash	text NOT NULL,
	hash		text NOT NULL,
	UNIQUE (case_id, seq)
);
CREATE INDEX case_events_office_at ON case_events (office_id, at);
REVOKE UPDATE, DELETE, TRUNCATE ON case_events FROM medex_app;

DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['cases', 'case_notes',
	    'practitioner_discussions', 'representatives', 'contacts',
	    'contact_exhaustions', 'coroner_referrals',
	    'governance_referrals', 'case_events'] LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY office_isolation ON %I '
		    'USING (office_id = current_setting(''medex.office_id'', '
		    'true)::bigint) WITH CHECK (office_id = '
		    'current_setting(''medex.office_id'', true)::bigint)', t);
	END LOOP;
END
$$;

-- What is hashed: every column of the event but its id and hashes, in
-- a fixed order; jsonb's text form is canonical (sorted keys).
CREATE FUNCTION case_event_canonical(p_case_id bigint, p_seq integer,
    p_at timestamptz, p_actor text, p_role text, p_action text,
    p_changes jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT p_case_id || '|' || p_seq || '|'
	    || to_char(p_at AT TIME ZONE 'UTC',
	       'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
	    || '|' || p_actor || '|' || p_role || '|' || p_action || '|'
	    || p_changes::text
$$;

CREATE FUNCTION case_event_hash(p_prev text, p_canonical text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT encode(sha256(convert_to(p_prev || '|' || p_canonical,
	    'UTF8')), 'hex')
$$;

-- Appends an event.  The caller holds the case's row lock.
CREATE FUNCTION case_event_add(p_case_id bigint, c auth_ctx, p_action text,
    p_changes jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_seq	integer;
	v_prev	text;
	v_office bigint;
	v_at	timestamptz := date_trunc('microseconds', clock_timestamp());
	v_hash	text;
BEGIN
	SELECT event_seq + 1, event_hash, office_id
	INTO v_seq, v_prev, v_office
	FROM cases WHERE id = p_case_id;
	v_hash := case_event_hash(v_prev, case_event_canonical(p_case_id,
	    v_seq, v_at, c.username, c.role, p_action,
	    coalesce(p_changes, '{}')));
	INSERT INTO case_events (case_id, office_id, seq, at, actor,
	    actor_role, action, changes, prev_hash, hash)
	VALUES (p_case_id, v_office, v_seq, v_at, c.username, c.role,
	    p_action, coalesce(p_changes, '{}'), v_prev, v_hash);
	UPDATE cases SET event_seq = v_seq, event_hash = v_hash
	WHERE id = p_case_id;
END
$$;

CREATE FUNCTION case_is_final(p_state text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT p_state IN ('closed', 'coroner_investigating', 'withdrawn')
$$;

CREATE FUNCTION case_overdue(p_state text, p_deadline timestamptz)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT p_state IN ('notified', 'in_scrutiny') AND now() > p_deadline
$$;

CREATE FUNCTION coroner_referral_json(r coroner_referrals)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN r.id IS NULL THEN NULL ELSE jsonb_build_object(
	    'id', r.id::text, 'categories', to_jsonb(r.categories),
	    'reason', r.reason, 'recorded_at', rfc3339(r.recorded_at),
	    'referred_at', rfc3339(r.referred_at),
	    'decision', r.decision, 'decided_at', rfc3339(r.decided_at),
	    'coroner_reference', r.coroner_reference) END
$$;

CREATE FUNCTION case_note_json(n case_notes)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', n.id::text, 'kind', n.kind,
	    'text', n.text, 'amends', n.amends::text,
	    'circumstances', n.circumstances,
	    'proposed_outcome', n.proposed_outcome,
	    'actor', (SELECT username FROM users WHERE id = n.author_id),
	    'at', rfc3339(n.at))
$$;

-- The whole case.  p_full is false for a liaison officer, who does not
-- see notes, practitioner discussions or governance referrals.
CREATE FUNCTION case_json(p_id bigint, p_full boolean)
RETURNS jsonb LANGUAGE sql STABLE AS $$
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
	WHERE k.id = p_id
$$;

-- The case p_id (from the URL) of the caller's office, locked for the
-- rest of the statement, or a row of NULLs.  RLS alone would hide
-- another office's case; the office filter says so out loud.
CREATE FUNCTION case_lock(p_id text)
RETURNS cases LANGUAGE sql AS $$
	SELECT * FROM cases
	WHERE id = CASE WHEN p_id ~ '^[0-9]{1,18}$' THEN p_id::bigint END
	  AND office_id = current_setting('medex.office_id', true)::bigint
	FOR UPDATE
$$;

-- API.md's order of checks for a case route, after 401: 404, 403,
-- 428/412, then the request's own 422 (found in C, passed as
-- p_invalid).  A result with a NULL status means "go on".
CREATE FUNCTION case_check(c auth_ctx, k cases, p_role_ok boolean,
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

CREATE FUNCTION case_check_request(k cases, p_need_match boolean,
    p_if_match integer, p_invalid jsonb)
RETURNS api_result LANGUAGE plpgsql AS $$
BEGIN
	IF p_need_match AND p_if_match IS NULL THEN
		RETURN api_error(428, 'precondition_required',
		    'Send If-Match with the version of the case you last read.');
	END IF;
	IF p_if_match IS NOT NULL AND p_if_match <> k.version THEN
		RETURN api_error(412, 'version_mismatch',
		    'This case was changed since you read it; reload and try again.');
	END IF;
	IF p_invalid IS NOT NULL THEN
		RETURN api_error(422, 'validation_failed',
		    'Some fields are missing or not valid; see fields.',
		    p_invalid);
	END IF;
	RETURN ROW(NULL, NULL, NULL, NULL)::api_result;
END
$$;

CREATE FUNCTION case_final_refusal(k cases)
RETURNS api_result LANGUAGE sql IMMUTABLE AS $$
	SELECT api_error(409, 'invalid_transition',
	    'This case is ' || k.state || ' and can no longer change.',
	    NULL, jsonb_build_object('from', k.state, 'to', NULL))
$$;

-- Ends a case write: bumps the version, appends the event, answers
-- with the whole case as the caller may see it.
CREATE FUNCTION case_done(c auth_ctx, p_id bigint, p_action text,
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

CREATE FUNCTION case_target_days(p_office bigint)
RETURNS integer LANGUAGE sql STABLE AS $$
	SELECT target_days FROM offices WHERE id = p_office
$$;

-- Writes the editable columns of n over the row and returns the
-- changes ({"column": {"old", "new"}}) of the columns named in p_cols.
CREATE FUNCTION case_update_cols(k cases, p_cols jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	n	cases := jsonb_populate_record(k, p_cols);
	v_old	jsonb := to_jsonb(k);
	v_new	jsonb;
BEGIN
	IF n.notified_at IS DISTINCT FROM k.notified_at THEN
		n.deadline := n.notified_at
		    + make_interval(days => case_target_days(k.office_id));
	END IF;
	UPDATE cases SET given_name = n.given_name,
	    family_name = n.family_name, nhs_number = n.nhs_number,
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
	    cause_of_death = n.cause_of_death,
	    final_actions = n.final_actions
	WHERE id = k.id;
	v_new := to_jsonb(n);
	RETURN (SELECT coalesce(jsonb_object_agg(key, jsonb_build_object(
	    'old', v_old->key, 'new', v_new->key)), '{}')
	    FROM jsonb_object_keys(p_cols) key
	    WHERE v_old->key IS DISTINCT FROM v_new->key);
END
$$;

CREATE FUNCTION case_duplicate_error(p_existing bigint)
RETURNS api_result LANGUAGE sql IMMUTABLE AS $$
	SELECT api_error(409, 'conflict',
	    'A case for this NHS number and date of death is already open in your office.',
	    jsonb_build_object('nhs_number', 'already has an open case'),
	    jsonb_build_object('existing_case', p_existing::text))
$$;

-- POST /api/v1/cases.  p_data holds the validated body under the
-- column names of cases (the handler maps API.md's names).
CREATE FUNCTION api_case_create(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_idem text, p_hash text,
    p_data jsonb)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	r	api_result;
	n	cases;
	v_id	bigint;
	v_dup	bigint;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role NOT IN ('officer', 'medical_examiner',
	    'lead_medical_examiner') THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not create cases.');
		RETURN;
	END IF;
	r := idem_replay(c.user_id, p_idem, p_hash);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	n := jsonb_populate_record(NULL::cases, p_data);
	n.notified_at := coalesce(n.notified_at, now());
	IF london_date(n.notified_at) < n.date_of_death THEN
		r := api_error(422, 'validation_failed',
		    'Some fields are missing or not valid; see fields.',
		    jsonb_build_object('notified_at', 'is before the death'));
		RETURN NEXT idem_save(c.user_id, p_idem, p_hash, r);
		RETURN;
	END IF;
	IF n.nhs_number IS NOT NULL THEN
		-- Serialise creations for one person and death, so that two
		-- racing notifications cannot both get through.
		PERFORM pg_advisory_xact_lock(hashtextextended(c.office_id
		    || '/' || n.nhs_number || '/' || n.date_of_death, 11));
		SELECT id INTO v_dup FROM cases
		WHERE office_id = c.office_id AND nhs_number = n.nhs_number
		  AND date_of_death = n.date_of_death
		  AND NOT case_is_final(state)
		ORDER BY id LIMIT 1;
		IF v_dup IS NOT NULL THEN
			RETURN NEXT idem_save(c.user_id, p_idem, p_hash,
			    case_duplicate_error(v_dup));
			RETURN;
		END IF;
	END IF;
	INSERT INTO cases (office_id, given_name, family_name, nhs_number,
	    date_of_birth, sex, date_of_death, time_of_death, place_of_death,
	    place_detail, ap_name, ap_gmc, notified_at, deadline, ethnicity,
	    prio_child, prio_faith, prio_cultural, prio_coroner, prio_other,
	    prio_detail, urgent_requested, urgent_reason)
	VALUES (c.office_id, n.given_name, n.family_name, n.nhs_number,
	    n.date_of_birth, n.sex, n.date_of_death, n.time_of_death,
	    n.place_of_death, n.place_detail, n.ap_name, n.ap_gmc,
	    n.notified_at, n.notified_at + make_interval(days =>
	    case_target_days(c.office_id)), n.ethnicity,
	    coalesce(n.prio_child, false), coalesce(n.prio_faith, false),
	    coalesce(n.prio_cultural, false), coalesce(n.prio_coroner, false),
	    coalesce(n.prio_other, false), n.prio_detail,
	    coalesce(n.urgent_requested, false), n.urgent_reason)
	RETURNING id INTO v_id;
	PERFORM case_event_add(v_id, c, 'created', (SELECT
	    coalesce(jsonb_object_agg(key, jsonb_build_object('new', value)),
	    '{}') FROM jsonb_each(p_data)));
	r := api_ok(201, case_json(v_id, true), 1, '/api/v1/cases/' || v_id);
	RETURN NEXT idem_save(c.user_id, p_idem, p_hash, r);
END
$$;

-- GET /api/v1/cases/{id}: the whole case, and a `viewed` event.
CREATE FUNCTION api_case_get(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_id text,
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
	PERFORM case_event_add(k.id, c, 'viewed', '{}');
	RETURN NEXT api_ok(200, case_json(k.id, c.role <> 'liaison_officer'),
	    k.version);
END
$$;

CREATE FUNCTION case_event_json(e case_events)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_build_object('id', e.id::text, 'seq', e.seq,
	    'at', rfc3339(e.at), 'actor', e.actor, 'role', e.actor_role,
	    'action', e.action, 'changes', e.changes, 'hash', e.hash,
	    'prev_hash', nullif(e.prev_hash, ''))
$$;

-- GET /api/v1/cases/{id}/events and /notes: oldest first, the cursor
-- is the last sequence number or id seen.
CREATE FUNCTION api_case_events(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_limit integer, p_after text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
	v_after	integer := 0;
	v_items	jsonb;
	v_last	integer;
	v_n	integer;
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
	IF p_after IS NOT NULL THEN
		IF p_after !~ '^[0-9]{1,9}$' THEN
			RETURN NEXT api_error(400, 'bad_request',
			    'cursor must be one given by a previous page.');
			RETURN;
		END IF;
		v_after := p_after::integer;
	END IF;
	SELECT coalesce(jsonb_agg(case_event_json(e) ORDER BY e.seq), '[]'),
	    max(e.seq), count(*)
	INTO v_items, v_last, v_n
	FROM (SELECT * FROM case_events WHERE case_id = k.id
	      AND seq > v_after ORDER BY seq LIMIT p_limit) e;
	RETURN NEXT api_ok(200, jsonb_build_object('items', v_items,
	    'next_cursor', CASE WHEN v_n = p_limit THEN
	    encode(convert_to(v_last::text, 'UTF8'), 'hex') END));
END
$$;

CREATE FUNCTION api_case_notes(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_limit integer, p_after text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
	v_after	bigint := 0;
	v_items	jsonb;
	v_last	bigint;
	v_n	integer;
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
	IF p_after IS NOT NULL THEN
		IF p_after !~ '^[0-9]{1,18}$' THEN
			RETURN NEXT api_error(400, 'bad_request',
			    'cursor must be one given by a previous page.');
			RETURN;
		END IF;
		v_after := p_after::bigint;
	END IF;
	SELECT coalesce(jsonb_agg(case_note_json(n) ORDER BY n.id), '[]'),
	    max(n.id), count(*)
	INTO v_items, v_last, v_n
	FROM (SELECT * FROM case_notes WHERE case_id = k.id
	      AND id > v_after ORDER BY id LIMIT p_limit) n;
	RETURN NEXT api_ok(200, jsonb_build_object('items', v_items,
	    'next_cursor', CASE WHEN v_n = p_limit THEN
	    encode(convert_to(v_last::text, 'UTF8'), 'hex') END));
END
$$;

-- GET /api/v1/cases: one statement whatever the page size.  The WHERE
-- clause holds only the filters given, so that each shape of query
-- gets a plan for its own index.  The cursor is the sort key of the
-- last row (hex-encoded, opaque to clients).  A search by name or NHS
-- number is a look-up of a person, so it is recorded.
CREATE FUNCTION api_case_list(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_limit integer,
    p_after text, p_state text, p_examiner text, p_officer text,
    p_unassigned boolean, p_overdue boolean, p_priority boolean,
    p_q text, p_sort text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v_where	text := 'k.office_id = $1';
	v_order	text;
	v_key	text;
	v_q	text;
	v_like	text;
	a_u	boolean;
	a_d	timestamptz;
	a_id	bigint;
	v_items	jsonb;
	v_last	text;
	v_n	integer;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role NOT IN ('officer', 'medical_examiner',
	    'lead_medical_examiner', 'liaison_officer') THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not read cases.');
		RETURN;
	END IF;
	IF p_state IS NOT NULL THEN
		v_where := v_where || ' AND k.state = $2';
	END IF;
	IF p_examiner IS NOT NULL THEN
		v_where := v_where || ' AND k.examiner_id = (SELECT id FROM '
		    'users WHERE username = $3 AND office_id = $1)';
	END IF;
	IF p_officer IS NOT NULL THEN
		v_where := v_where || ' AND k.officer_id = (SELECT id FROM '
		    'users WHERE username = $4 AND office_id = $1)';
	END IF;
	IF p_unassigned THEN
		v_where := v_where || ' AND k.examiner_id IS NULL'
		    ' AND NOT case_is_final(k.state)';
	END IF;
	IF p_overdue THEN
		v_where := v_where || ' AND k.state IN (''notified'', '
		    '''in_scrutiny'') AND k.deadline < now()';
	END IF;
	IF p_priority THEN
		v_where := v_where || ' AND k.urgent';
	END IF;
	IF p_q IS NOT NULL THEN
		v_q := replace(p_q, ' ', '');
		IF v_q ~ '^[0-9]{10}$' THEN
			v_where := v_where || ' AND k.nhs_number = $5';
		ELSE
			v_q := lower(btrim(p_q));
			v_q := replace(replace(replace(v_q, '\', '\\'), '%',
			    '\%'), '_', '\_') || '%';
			v_where := v_where || ' AND (lower(k.family_name) LIKE $5'
			    ' OR lower(k.given_name) LIKE $5'
			    ' OR lower(k.given_name || '' '' || k.family_name) LIKE $5)';
		END IF;
		PERFORM security_log('case_search', c.username, c.office_code,
		    NULL, p_address, jsonb_build_object('q', p_q));
	END IF;
	BEGIN
		IF p_after IS NOT NULL THEN
			a_u := split_part(p_after, '|', 1)::boolean;
			a_d := nullif(split_part(p_after, '|', 2), '')::timestamptz;
			a_id := split_part(p_after, '|', 3)::bigint;
		END IF;
	EXCEPTION WHEN OTHERS THEN
		RETURN NEXT api_error(400, 'bad_request',
		    'cursor must be one given by a previous page.');
		RETURN;
	END;
	IF p_sort = 'oldest' THEN
		v_order := 'k.id';
		IF p_after IS NOT NULL THEN
			v_where := v_where || ' AND k.id > $8';
		END IF;
	ELSIF p_sort = 'urgency' THEN
		v_order := 'NOT k.urgent, k.deadline, k.id';
		IF p_after IS NOT NULL THEN
			v_where := v_where || ' AND (NOT k.urgent, k.deadline, k.id)'
			    ' > ($6, $7, $8)';
		END IF;
	ELSE
		v_order := 'k.id DESC';
		IF p_after IS NOT NULL THEN
			v_where := v_where || ' AND k.id < $8';
		END IF;
	END IF;
	EXECUTE 'SELECT coalesce(jsonb_agg(jsonb_build_object('
	    '''id'', k.id::text, ''state'', k.state, ''version'', k.version,'
	    '''given_name'', k.given_name, ''family_name'', k.family_name,'
	    '''nhs_number'', k.nhs_number, ''date_of_birth'', k.date_of_birth,'
	    '''sex'', k.sex, ''date_of_death'', k.date_of_death,'
	    '''place_of_death'', k.place_of_death,'
	    '''examiner'', e.username, ''officer'', f.username,'
	    '''priority'', jsonb_build_object(''child'', k.prio_child,'
	    '  ''faith'', k.prio_faith, ''cultural'', k.prio_cultural,'
	    '  ''coroner'', k.prio_coroner, ''other'', k.prio_other,'
	    '  ''detail'', k.prio_detail),'
	    '''urgent_release'', jsonb_build_object(''requested'','
	    '  k.urgent_requested, ''reason'', k.urgent_reason,'
	    '  ''outcome'', k.urgent_outcome),'
	    '''notified_at'', rfc3339(k.notified_at),'
	    '''deadline'', rfc3339(k.deadline),'
	    '''overdue'', case_overdue(k.state, k.deadline),'
	    '''created_at'', rfc3339(k.created_at),'
	    '''updated_at'', rfc3339(k.updated_at)) ORDER BY k.rn), ''[]''),'
	    ' (array_agg(k.cur ORDER BY k.rn DESC))[1], count(*)'
	    ' FROM (SELECT k.*, row_number() OVER () AS rn,'
	    '   (NOT k.urgent)::text || ''|'' || to_char(k.deadline AT TIME ZONE'
	    '   ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.US"Z"'') || ''|'' || k.id AS cur'
	    '   FROM (SELECT * FROM cases k WHERE ' || v_where
	    || '   ORDER BY ' || v_order || ' LIMIT $9) k) k'
	    ' LEFT JOIN users e ON e.id = k.examiner_id'
	    ' LEFT JOIN users f ON f.id = k.officer_id'
	INTO v_items, v_last, v_n
	USING c.office_id, p_state, p_examiner, p_officer, v_q, a_u, a_d,
	    a_id, p_limit;
	RETURN NEXT api_ok(200, jsonb_build_object('items', v_items,
	    'next_cursor', CASE WHEN v_n = p_limit THEN
	    encode(convert_to(v_last, 'UTF8'), 'hex') END));
END
$$;

-- GET /api/v1/cases/summary: the office's queue counts, one scan.
CREATE FUNCTION api_case_summary(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v	jsonb;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role NOT IN ('officer', 'medical_examiner',
	    'lead_medical_examiner', 'liaison_officer') THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not read cases.');
		RETURN;
	END IF;
	SELECT jsonb_build_object(
	    'open', count(*),
	    'overdue', count(*) FILTER (WHERE case_overdue(k.state, k.deadline)),
	    'urgent', count(*) FILTER (WHERE k.urgent),
	    'unassigned', count(*) FILTER (WHERE k.examiner_id IS NULL),
	    'awaiting_practitioner', count(*) FILTER (WHERE
	        k.state = 'in_scrutiny' AND NOT EXISTS (SELECT 1
	        FROM practitioner_discussions d WHERE d.case_id = k.id
	        AND d.happened)),
	    'awaiting_bereaved', count(*) FILTER (WHERE
	        k.state = 'in_scrutiny' AND NOT EXISTS (SELECT 1
	        FROM contacts t WHERE t.case_id = k.id
	        AND t.outcome = 'reached') AND NOT EXISTS (SELECT 1
	        FROM contact_exhaustions x WHERE x.case_id = k.id)),
	    'awaiting_mccd', count(*) FILTER (WHERE k.state = 'awaiting_mccd'),
	    'final_actions_outstanding', count(*) FILTER (WHERE
	        k.state = 'mccd_issued' AND k.final_actions IS NULL))
	INTO v
	FROM cases k
	WHERE k.office_id = c.office_id AND NOT case_is_final(k.state);
	RETURN NEXT api_ok(200, v);
END
$$;

-- GET /api/v1/reference: the body is built in C from the same tables
-- the handlers use; the call checks the session like any other.
CREATE FUNCTION api_reference(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_body jsonb)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	RETURN NEXT api_ok(200, p_body);
END
$$;

-- Every write to a case but creation and transitions: the handler
-- validates the body in C and passes what is wrong (p_invalid) and what
-- to write (p_data), and this answers in API.md's order of checks.
-- p_kind says which record; PUTs and PATCH need If-Match, appending
-- POSTs do not (but honour it when sent).
CREATE FUNCTION api_case_write(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_kind text, p_if_match integer, p_idem text,
    p_hash text, p_invalid jsonb, p_data jsonb)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
	v_append boolean := p_kind IN ('note', 'discussion',
		    'representative', 'contact', 'exhausted', 'governance');
	v_examiner_only boolean := p_kind IN ('cause_of_death',
		    'discussion') OR (p_kind = 'note'
		    AND p_data->>'kind' = 'record_review');
	v_cols	jsonb;
	v_changes jsonb;
	v_action text;
	v_rid	bigint;
	v_loc	text;
	v_uid	bigint;
	v_ref	coroner_referrals;
	v_bad	jsonb := '{}';
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
	-- 403 for who acts: the case's examiner (or a lead ME) only.
	IF v_examiner_only AND (c.role NOT IN ('medical_examiner',
	    'lead_medical_examiner') OR (c.role = 'medical_examiner'
	    AND k.examiner_id IS DISTINCT FROM c.user_id)) THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Only the case''s examiner or a lead medical examiner may do this.');
		RETURN;
	END IF;
	IF p_kind = 'assignment' AND ((c.role = 'officer'
	    AND p_data ? 'examiner') OR (c.role = 'medical_examiner'
	    AND p_data ? 'examiner' AND (p_data->>'examiner') IS DISTINCT FROM
	    c.username)) THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not assign this examiner.');
		RETURN;
	END IF;
	r := case_check_request(k, NOT v_append, p_if_match, p_invalid);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	IF v_append THEN
		r := idem_replay(c.user_id, p_idem, p_hash);
		IF r.status IS NOT NULL THEN
			RETURN NEXT r;
			RETURN;
		END IF;
	END IF;
	IF case_is_final(k.state) THEN
		RETURN NEXT case_final_refusal(k);
		RETURN;
	END IF;

	CASE p_kind
	WHEN 'patch', 'urgent_release', 'final_actions' THEN
		v_cols := p_data;
		v_action := CASE p_kind WHEN 'patch' THEN 'updated'
		    ELSE p_kind || '_recorded' END;
	WHEN 'cause_of_death' THEN
		IF (p_data->'cause_of_death'->>'form' = 'neonatal') <>
		    (k.date_of_death - k.date_of_birth < 28) THEN
			v_bad := jsonb_build_object('form', CASE WHEN
			    k.date_of_death - k.date_of_birth < 28 THEN
			    'must be neonatal for a death in the first 28 days of life'
			    ELSE 'must be standard for a death after the first 28 days of life' END);
		END IF;
		v_cols := p_data;
		v_action := 'cause_of_death_recorded';
	WHEN 'assignment' THEN
		v_cols := '{}';
		IF p_data ? 'examiner' THEN
			SELECT id INTO v_uid FROM users
			WHERE username = p_data->>'examiner'
			  AND office_id = c.office_id AND NOT disabled
			  AND role IN ('medical_examiner', 'lead_medical_examiner');
			IF v_uid IS NULL AND p_data->>'examiner' IS NOT NULL THEN
				v_bad := v_bad || jsonb_build_object('examiner',
				    'is not a medical examiner of this office');
			END IF;
			v_cols := v_cols || jsonb_build_object('examiner_id', v_uid);
			v_uid := NULL;
		END IF;
		IF p_data ? 'officer' THEN
			SELECT id INTO v_uid FROM users
			WHERE username = p_data->>'officer'
			  AND office_id = c.office_id AND NOT disabled
			  AND role = 'officer';
			IF v_uid IS NULL AND p_data->>'officer' IS NOT NULL THEN
				v_bad := v_bad || jsonb_build_object('officer',
				    'is not an officer of this office');
			END IF;
			v_cols := v_cols || jsonb_build_object('officer_id', v_uid);
		END IF;
		v_action := 'assigned';
	WHEN 'coroner_referral' THEN
		SELECT * INTO v_ref FROM coroner_referrals
		WHERE case_id = k.id ORDER BY id DESC LIMIT 1;
		IF v_ref.id IS NOT NULL AND v_ref.decision IS NULL THEN
			UPDATE coroner_referrals SET
			    categories = ARRAY(SELECT jsonb_array_elements_text(
			    p_data->'categories')), reason = p_data->>'reason'
			WHERE id = v_ref.id;
			v_rid := v_ref.id;
		ELSE
			INSERT INTO coroner_referrals (case_id, office_id,
			    categories, reason, author_id)
			VALUES (k.id, k.office_id, ARRAY(SELECT
			    jsonb_array_elements_text(p_data->'categories')),
			    p_data->>'reason', c.user_id)
			RETURNING id INTO v_rid;
		END IF;
		v_changes := jsonb_build_object('coroner_referral',
		    jsonb_build_object('old', coroner_referral_json(v_ref),
		    'new', p_data));
		v_action := 'coroner_referral_recorded';
	WHEN 'coroner_decision' THEN
		SELECT * INTO v_ref FROM coroner_referrals
		WHERE case_id = k.id ORDER BY id DESC LIMIT 1;
		IF v_ref.id IS NULL THEN
			v_bad := jsonb_build_object('coroner_referral',
			    'no referral to the coroner is recorded');
		ELSIF london_date((p_data->>'decided_at')::timestamptz) <
		    k.date_of_death THEN
			v_bad := jsonb_build_object('decided_at',
			    'is before the death');
		ELSE
			UPDATE coroner_referrals SET decision = p_data->>'decision',
			    decided_at = (p_data->>'decided_at')::timestamptz,
			    coroner_reference = p_data->>'coroner_reference',
			    decision_recorded_at = now()
			WHERE id = v_ref.id;
			v_changes := jsonb_build_object('decision',
			    jsonb_build_object('old', v_ref.decision,
			    'new', p_data->>'decision'), 'decided_at',
			    jsonb_build_object('old', rfc3339(v_ref.decided_at),
			    'new', p_data->>'decided_at'), 'coroner_reference',
			    jsonb_build_object('old', v_ref.coroner_reference,
			    'new', p_data->>'coroner_reference'));
		END IF;
		v_action := 'coroner_decision_recorded';
	WHEN 'note' THEN
		IF p_data->>'amends' IS NOT NULL AND NOT EXISTS (SELECT 1
		    FROM case_notes WHERE case_id = k.id
		    AND id = (p_data->>'amends')::bigint) THEN
			v_bad := jsonb_build_object('amends',
			    'is not a note of this case');
		ELSE
			INSERT INTO case_notes (case_id, office_id, kind, text,
			    amends, circumstances, proposed_outcome, author_id)
			VALUES (k.id, k.office_id, p_data->>'kind',
			    p_data->>'text', (p_data->>'amends')::bigint,
			    p_data->>'circumstances',
			    p_data->>'proposed_outcome', c.user_id)
			RETURNING id INTO v_rid;
			v_loc := '/api/v1/cases/' || k.id || '/notes/' || v_rid;
		END IF;
		v_action := 'note_added';
	WHEN 'discussion' THEN
		IF london_date((p_data->>'at')::timestamptz) <
		    k.date_of_death THEN
			v_bad := jsonb_build_object('at', 'is before the death');
		ELSE
			INSERT INTO practitioner_discussions (case_id, office_id,
			    name, gmc_number, at, happened, reason_not,
			    proposed_cause, outcome, author_id)
			VALUES (k.id, k.office_id, p_data->>'name',
			    p_data->>'gmc_number',
			    (p_data->>'at')::timestamptz,
			    (p_data->>'happened')::boolean,
			    p_data->>'reason_not', p_data->>'proposed_cause',
			    p_data->>'outcome', c.user_id)
			RETURNING id INTO v_rid;
			v_loc := '/api/v1/cases/' || k.id
			    || '/practitioner-discussions/' || v_rid;
		END IF;
		v_action := 'practitioner_discussion_added';
	WHEN 'representative' THEN
		INSERT INTO representatives (case_id, office_id, name,
		    relationship, phone, email, present_at_death,
		    is_informant, author_id)
		VALUES (k.id, k.office_id, p_data->>'name',
		    p_data->>'relationship', p_data->>'phone',
		    p_data->>'email', (p_data->>'present_at_death')::boolean,
		    (p_data->>'is_informant')::boolean, c.user_id)
		RETURNING id INTO v_rid;
		v_loc := '/api/v1/cases/' || k.id || '/representatives/'
		    || v_rid;
		v_action := 'representative_added';
	WHEN 'contact' THEN
		IF p_data->>'representative_id' IS NOT NULL AND NOT EXISTS (
		    SELECT 1 FROM representatives WHERE case_id = k.id
		    AND id::text = p_data->>'representative_id') THEN
			v_bad := v_bad || jsonb_build_object('representative_id',
			    'is not a representative of this case');
		END IF;
		IF london_date((p_data->>'at')::timestamptz) <
		    k.date_of_death THEN
			v_bad := v_bad || jsonb_build_object('at',
			    'is before the death');
		END IF;
		IF v_bad = '{}' THEN
			INSERT INTO contacts (case_id, office_id,
			    representative_id, person_name, relationship, method,
			    outcome, at, questions, concerns_raised, concerns,
			    author_id)
			VALUES (k.id, k.office_id,
			    (p_data->>'representative_id')::bigint,
			    p_data->>'person_name', p_data->>'relationship',
			    p_data->>'method', p_data->>'outcome',
			    (p_data->>'at')::timestamptz, p_data->>'questions',
			    (p_data->>'concerns_raised')::boolean,
			    p_data->>'concerns', c.user_id)
			RETURNING id INTO v_rid;
			v_loc := '/api/v1/cases/' || k.id || '/contacts/' || v_rid;
		END IF;
		v_action := 'contact_added';
	WHEN 'exhausted' THEN
		INSERT INTO contact_exhaustions (case_id, office_id, reason,
		    detail, author_id)
		VALUES (k.id, k.office_id, p_data->>'reason',
		    p_data->>'detail', c.user_id)
		RETURNING id INTO v_rid;
		v_loc := '/api/v1/cases/' || k.id || '/contacts/exhausted/'
		    || v_rid;
		v_action := 'contact_exhausted';
	WHEN 'governance' THEN
		IF p_data->>'contact_id' IS NOT NULL AND NOT EXISTS (
		    SELECT 1 FROM contacts WHERE case_id = k.id
		    AND id::text = p_data->>'contact_id') THEN
			v_bad := jsonb_build_object('contact_id',
			    'is not a contact of this case');
		ELSE
			INSERT INTO governance_referrals (case_id, office_id, kind,
			    reason, contact_id, author_id)
			VALUES (k.id, k.office_id, p_data->>'kind',
			    p_data->>'reason', (p_data->>'contact_id')::bigint,
			    c.user_id)
			RETURNING id INTO v_rid;
			v_loc := '/api/v1/cases/' || k.id
			    || '/governance-referrals/' || v_rid;
		END IF;
		v_action := 'governance_referral_added';
	ELSE
		RAISE EXCEPTION 'api_case_write: unknown kind %', p_kind;
	END CASE;

	IF v_bad <> '{}' THEN
		r := api_error(422, 'validation_failed',
		    'Some fields are missing or not valid; see fields.', v_bad);
		IF v_append THEN
			r := idem_save(c.user_id, p_idem, p_hash, r);
		END IF;
		RETURN NEXT r;
		RETURN;
	END IF;
	IF v_cols IS NOT NULL THEN
		BEGIN
			v_changes := case_update_cols(k, v_cols);
		EXCEPTION WHEN unique_violation THEN
			RETURN NEXT case_duplicate_error((SELECT id FROM cases
			    WHERE office_id = k.office_id AND id <> k.id
			    AND nhs_number = coalesce(p_data->>'nhs_number',
			    k.nhs_number) AND date_of_death = coalesce(
			    (p_data->>'date_of_death')::date, k.date_of_death)
			    AND NOT case_is_final(state) LIMIT 1));
			RETURN;
		WHEN check_violation THEN
			RETURN NEXT api_error(422, 'validation_failed',
			    'Some fields are missing or not valid; see fields.',
			    jsonb_build_object(CASE WHEN SQLERRM LIKE
			    '%cases_notified_after_death%' THEN 'notified_at'
			    ELSE 'date_of_death' END,
			    'does not fit the other dates of the case'));
			RETURN;
		END;
		IF p_kind = 'assignment' THEN
			v_changes := (SELECT coalesce(jsonb_object_agg(
			    replace(key, '_id', ''), jsonb_build_object(
			    'old', (SELECT username FROM users
			        WHERE id = (value->>'old')::bigint),
			    'new', (SELECT username FROM users
			        WHERE id = (value->>'new')::bigint))), '{}')
			    FROM jsonb_each(v_changes));
		END IF;
	ELSIF v_changes IS NULL THEN
		v_changes := jsonb_build_object(p_kind, jsonb_build_object(
		    'new', p_data || jsonb_build_object('id', v_rid::text)));
	END IF;
	r := case_done(c, k.id, v_action, v_changes,
	    CASE WHEN v_append THEN 201 ELSE 200 END, v_loc);
	IF v_append THEN
		r := idem_save(c.user_id, p_idem, p_hash, r);
	END IF;
	RETURN NEXT r;
END
$$;

-- POST /api/v1/cases/{id}/transitions.  The C side looked the caller's
-- role and the target up in case_state.c's table for every state the
-- case could be in: p_rules maps each state to its decision ("o" ok,
-- "i" 409, "f" 403), the row's guards and whether only the case's
-- examiner may make it; p_msgs holds the guards' field names and
-- phrases.  Here the decision for the locked row's state is applied,
-- the guards are checked against the records, and the state, version
-- and event change together: two concurrent requests queue on the row
-- lock, and the second finds a new version (412).
CREATE FUNCTION api_case_transition(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_if_match integer, p_invalid jsonb, p_to text,
    p_rules jsonb, p_msgs jsonb, p_reason text, p_independent boolean,
    p_mccd date)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
	v_rule	jsonb;
	v_last	coroner_referrals;
	v_g	text;
	v_ok	boolean;
	v_msg	jsonb;
	v_fields jsonb := '{}';
	v_changes jsonb;
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
	v_rule := p_rules->k.state;
	IF v_rule->>'d' = 'f' THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not move this case there.');
		RETURN;
	END IF;
	IF v_rule->>'d' = 'o' AND (v_rule->>'x')::boolean
	    AND c.role <> 'lead_medical_examiner'
	    AND k.examiner_id IS DISTINCT FROM c.user_id THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Only the case''s examiner or a lead medical examiner may do this.');
		RETURN;
	END IF;
	r := case_check_request(k, true, p_if_match, p_invalid);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	IF v_rule->>'d' IS DISTINCT FROM 'o' THEN
		RETURN NEXT api_error(409, 'invalid_transition',
		    'A case that is ' || k.state || ' cannot move to ' || p_to
		    || '.', NULL, jsonb_build_object('from', k.state,
		    'to', p_to));
		RETURN;
	END IF;

	-- The guards, from the records ("records made before a reopening
	-- still count": every record of the case, whenever made).
	SELECT * INTO v_last FROM coroner_referrals
	WHERE case_id = k.id ORDER BY id DESC LIMIT 1;
	FOR v_g IN SELECT jsonb_array_elements_text(v_rule->'g') LOOP
		v_ok := CASE v_g
		WHEN 'independent' THEN p_independent IS TRUE
		WHEN 'referral_categories' THEN v_last.id IS NOT NULL
		    AND v_last.decision IS NULL
		    AND cardinality(v_last.categories) >= 1
		WHEN 'reason' THEN p_reason IS NOT NULL
		    OR (p_to = 'referred_to_coroner' AND v_last.id IS NOT NULL
		    AND v_last.decision IS NULL)
		WHEN 'coroner_not_investigating' THEN
		    v_last.decision IS NOT DISTINCT FROM 'not_investigating'
		WHEN 'coroner_investigating' THEN
		    v_last.decision IS NOT DISTINCT FROM 'investigating'
		WHEN 'record_review' THEN EXISTS (SELECT 1 FROM case_notes
		    WHERE case_id = k.id AND kind = 'record_review')
		WHEN 'ap_discussion' THEN EXISTS (SELECT 1
		    FROM practitioner_discussions WHERE case_id = k.id
		    AND happened)
		WHEN 'cause_agreed' THEN coalesce((k.cause_of_death->>
		    'agreed_with_attending_practitioner')::boolean, false)
		WHEN 'bereaved' THEN EXISTS (SELECT 1 FROM contacts
		    WHERE case_id = k.id AND outcome = 'reached')
		    OR EXISTS (SELECT 1 FROM contact_exhaustions
		    WHERE case_id = k.id)
		WHEN 'no_open_referral' THEN v_last.id IS NULL
		    OR v_last.decision IS NOT NULL
		WHEN 'mccd_date' THEN p_mccd IS NOT NULL
		WHEN 'concerns_decided' THEN (SELECT count(*) FROM contacts t
		    WHERE t.case_id = k.id AND t.concerns_raised
		    AND NOT EXISTS (SELECT 1 FROM governance_referrals g
		    WHERE g.contact_id = t.id)) <= (SELECT count(*)
		    FROM governance_referrals WHERE case_id = k.id
		    AND contact_id IS NULL)
		WHEN 'final_actions' THEN k.final_actions IS NOT NULL
		ELSE false END;
		IF NOT coalesce(v_ok, false) THEN
			v_msg := p_msgs->(v_g || CASE WHEN v_g LIKE 'coroner_%'
			    THEN '/' || coalesce(v_last.decision, 'none')
			    ELSE '' END);
			v_fields := v_fields || jsonb_build_object(
			    coalesce(v_msg->>0, v_g),
			    coalesce(v_msg->>1, 'is not met'));
		END IF;
	END LOOP;
	IF v_fields <> '{}' THEN
		RETURN NEXT api_error(422, 'validation_failed',
		    'This case does not yet meet what the move requires; see fields.',
		    v_fields);
		RETURN;
	END IF;

	v_changes := jsonb_build_object('state', jsonb_build_object(
	    'old', k.state, 'new', p_to));
	IF p_reason IS NOT NULL THEN
		v_changes := v_changes || jsonb_build_object('reason',
		    jsonb_build_object('new', p_reason));
	END IF;
	IF k.state = 'notified' AND p_to = 'in_scrutiny' THEN
		v_changes := v_changes || jsonb_build_object('examiner',
		    jsonb_build_object('old', (SELECT username FROM users
		    WHERE id = k.examiner_id), 'new', c.username),
		    'independent', jsonb_build_object('old', k.independent,
		    'new', true));
	END IF;
	IF p_to = 'mccd_issued' THEN
		v_changes := v_changes || jsonb_build_object('mccd_issued_on',
		    jsonb_build_object('old', k.mccd_issued_on, 'new', p_mccd));
	END IF;
	UPDATE cases SET state = p_to,
	    examiner_id = CASE WHEN k.state = 'notified'
	        AND p_to = 'in_scrutiny' THEN c.user_id ELSE examiner_id END,
	    independent = independent OR (k.state = 'notified'
	        AND p_to = 'in_scrutiny'),
	    mccd_issued_on = CASE WHEN p_to = 'mccd_issued' THEN p_mccd
	        ELSE mccd_issued_on END
	WHERE id = k.id;
	IF p_to = 'referred_to_coroner' THEN
		UPDATE coroner_referrals SET referred_at = now()
		WHERE id = v_last.id;
	END IF;
	RETURN NEXT case_done(c, k.id, 'transition', v_changes, 200, NULL);
END
$$;
