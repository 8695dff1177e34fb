-- What the browser pages need beyond the API's calls: the office
-- overview, the case page in one call, and the forms' writes behind
-- their idempotency key.

-- GET /office: counts by state, open and overdue, and per examiner the
-- open and overdue cases, for the lead ME's own office only (the RLS
-- policy holds too).  Examiners are the office's MEs and lead MEs that
-- are not disabled, and anyone else who still holds open cases.
CREATE OR REPLACE FUNCTION api_office_overview(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text)
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
	IF c.role <> 'lead_medical_examiner' THEN
		PERFORM security_log('forbidden', c.username, c.office_code,
		    NULL, p_address);
		RETURN NEXT api_error(403, 'forbidden',
		    'Only a lead medical examiner may see the office overview.');
		RETURN;
	END IF;
	WITH k AS (
		SELECT k.state, k.examiner_id, NOT case_is_final(k.state)
		    AS open, case_overdue(k.state, k.deadline) AS overdue
		FROM cases k WHERE k.office_id = c.office_id
	), e AS (
		SELECT u.username, u.display_name, u.role, u.disabled,
		    count(k.state) AS open,
		    count(*) FILTER (WHERE k.overdue) AS overdue
		FROM users u
		LEFT JOIN k ON k.examiner_id = u.id AND k.open
		WHERE u.office_id = c.office_id
		  AND ((u.role IN ('medical_examiner', 'lead_medical_examiner')
		  AND NOT u.disabled) OR k.state IS NOT NULL)
		GROUP BY u.id
	)
	SELECT jsonb_build_object(
	    'display_name', c.display_name,
	    'office', c.office_code,
	    'office_name', (SELECT name FROM offices WHERE id = c.office_id),
	    'states', (SELECT jsonb_agg(jsonb_build_object('state', s.state,
	        'count', (SELECT count(*) FROM k WHERE k.state = s.state))
	        ORDER BY s.ord)
	        FROM unnest(ARRAY['notified', 'in_scrutiny',
	        'referred_to_coroner', 'coroner_investigating',
	        'awaiting_mccd', 'mccd_issued', 'closed', 'withdrawn'])
	        WITH ORDINALITY AS s(state, ord)),
	    'open', (SELECT count(*) FROM k WHERE k.open),
	    'overdue', (SELECT count(*) FROM k WHERE k.overdue),
	    'unassigned', (SELECT count(*) FROM k
	        WHERE k.open AND k.examiner_id IS NULL),
	    'unassigned_overdue', (SELECT count(*) FROM k
	        WHERE k.overdue AND k.examiner_id IS NULL),
	    'examiners', (SELECT coalesce(jsonb_agg(jsonb_build_object(
	        'username', e.username, 'display_name', e.display_name,
	        'role', e.role, 'disabled', e.disabled, 'open', e.open,
	        'overdue', e.overdue)
	        ORDER BY e.overdue DESC, e.open DESC, e.username), '[]')
	        FROM e))
	INTO v;
	RETURN NEXT api_ok(200, v);
END
$$;

-- A page's form write (POST /cases/{id}/<action>): api_case_write()
-- behind the form's key.  The key is replayed before anything else, so
-- that a form sent twice answers the first answer again (a redirect to
-- the case) rather than a version conflict; api_case_write() itself
-- gets no key, as this saves the answer for every kind.
CREATE OR REPLACE FUNCTION api_page_case_write(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_kind text, p_if_match integer, p_idem text,
    p_hash text, p_invalid jsonb, p_data jsonb)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	r	api_result;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	r := idem_replay(c.user_id, p_idem, p_hash);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	SELECT * INTO r FROM api_case_write(p_jti, p_sub, p_role, p_office,
	    p_csrf, p_address, p_id, p_role_ok, p_kind, p_if_match, NULL,
	    NULL, p_invalid, p_data);
	RETURN NEXT idem_save(c.user_id, p_idem, p_hash, r);
END
$$;

-- A page's transition form: api_case_transition() behind the form's key.
CREATE OR REPLACE FUNCTION api_page_case_transition(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_if_match integer, p_invalid jsonb, p_to text,
    p_rules jsonb, p_msgs jsonb, p_reason text, p_independent boolean,
    p_mccd date, p_idem text, p_hash text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	r	api_result;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	r := idem_replay(c.user_id, p_idem, p_hash);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	SELECT * INTO r FROM api_case_transition(p_jti, p_sub, p_role,
	    p_office, p_csrf, p_address, p_id, p_role_ok, p_if_match,
	    p_invalid, p_to, p_rules, p_msgs, p_reason, p_independent, p_mccd);
	RETURN NEXT idem_save(c.user_id, p_idem, p_hash, r);
END
$$;

-- The case page's timeline (api_page_case): the latest p_limit changes
-- of a case, without its views and prints, oldest first, and whether there were
-- earlier ones.
--
-- Each change as the page tells it: when, who, what and what changed
-- ({"at", "actor", "action", "changes"}, and "purged" when the
-- retention purge emptied some values, case_event_purged_json), not
-- the whole event: the page shows no hashes, ids or roles, and they
-- were half the page's JSON, built here, sent and parsed again by the
-- server for every page (issue 21, docs/benchmark.md).  The trail's own
-- routes (api_case_events, the timeline page) still give whole events.
CREATE OR REPLACE FUNCTION case_timeline_json(p_case_id bigint, p_limit integer)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_items	jsonb;
	v_n	integer;
BEGIN
	-- The latest p_limit changes, oldest first, through the index that
	-- leaves views out; one more than asked for says there are earlier.
	-- The columns the page uses, not the whole row (with its salts).
	SELECT coalesce(jsonb_agg(jsonb_build_object('at', rfc3339(e.at),
	    'actor', e.actor, 'action', e.action, 'changes', e.changes)
	    || case_event_purged_json(e.purged) ORDER BY e.seq)
	    FILTER (WHERE e.rank <= p_limit), '[]'), count(*)
	INTO v_items, v_n
	FROM (SELECT ce.seq, ce.at, ce.actor, ce.action, ce.changes,
		  ce.purged, row_number() OVER (ORDER BY ce.seq DESC) AS rank
	      FROM case_events ce
	      WHERE ce.case_id = p_case_id AND ce.action <> 'viewed'
	        AND ce.action <> 'printed'
	      ORDER BY ce.seq DESC LIMIT p_limit + 1) e;
	RETURN jsonb_build_object('items', v_items, 'earlier', v_n > p_limit);
END
$$;

-- The case page in one call: who is signed in, the case, its timeline.
--
-- The page used to run three API functions in one statement (api_me,
-- api_case_get and 0012's api_page_case_timeline), and each checked the
-- token again; two of them locked the case again; api_me read the user
-- again, though auth_check had just read it.  pgbench at one client on
-- the 10k bench: 1.36 ms for those three against 0.82 ms for the JSON
-- read alone.  This does the checks once, in api_case_get's order, and
-- records the view as the JSON read does (in case_views, without the
-- case's lock; sql/case_views.sql).
--
-- The answer: case_page_json's (below); p_events_ok, from the route
-- table like p_role_ok, says whether the role may read the events.
CREATE OR REPLACE FUNCTION api_page_case(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_events_ok boolean, p_limit integer)
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
	k := case_find(p_id);
	r := case_check(c, k, p_role_ok, false, NULL, NULL);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	PERFORM case_view_add(c, k, 'viewed');
	RETURN NEXT api_ok(200, case_page_json(c, k, p_events_ok, p_limit),
	    k.version);
END
$$;

-- Several case pages' reads in one statement, as api_case_get_batch
-- (sql/cases_read.sql) does for the JSON read, and for the same reason:
-- one commit and one flush of the WAL for the views of all of them.
-- In the order of their sessions, so that two batches cannot deadlock.
CREATE OR REPLACE FUNCTION api_page_case_batch(p_jti text[], p_sub text[],
    p_role text[], p_office text[], p_csrf text[], p_address text[],
    p_id text[], p_role_ok boolean[], p_events_ok boolean[],
    p_limit integer[])
RETURNS TABLE (i integer, status integer, body text, etag integer,
    location text)
LANGUAGE plpgsql AS $$
DECLARE
	o	integer;
BEGIN
	PERFORM batch_check(cardinality(p_jti), ARRAY[cardinality(p_sub),
	    cardinality(p_role), cardinality(p_office), cardinality(p_csrf),
	    cardinality(p_address), cardinality(p_id),
	    cardinality(p_role_ok), cardinality(p_events_ok),
	    cardinality(p_limit)]);
	FOR o IN SELECT s FROM generate_subscripts(p_jti, 1) s
	    ORDER BY p_jti[s], s LOOP
		RETURN QUERY SELECT o, r.status, r.body, r.etag, r.location
		FROM api_page_case(p_jti[o], p_sub[o], p_role[o], p_office[o],
		    p_csrf[o], p_address[o], p_id[o], p_role_ok[o],
		    p_events_ok[o], p_limit[o]) r;
	END LOOP;
END
$$;

-- What the case page and its print view show (api_page_case,
-- api_page_case_print), read once:
--
-- {"me": {username, display_name, role, office, office_name},
--  "case": case_json as api_case_get gives it,
--  "timeline": {"items", "earlier"} or null when the role may not read
--      the events,
--  "last_transition": {"at", "actor", "from", "to", "reason"} of the
--      latest transition, or null: the banner of a withdrawn, closed or
--      reopened case, for every reader of the case (the timeline is
--      not),
--  "names": {username: display_name} of every user of the caller's
--      office, for the people the page names (examiner, officer, the
--      actors of the records and of the timeline); other offices' users
--      are never in it}.
CREATE OR REPLACE FUNCTION case_page_json(c auth_ctx, k cases,
    p_events_ok boolean, p_limit integer)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_case	jsonb := case_json(k.id, c.role <> 'liaison_officer');
	v_timeline	jsonb;
	v_last	jsonb;
	v_names	jsonb;
BEGIN
	IF p_events_ok THEN
		v_timeline := case_timeline_json(k.id, p_limit);
	END IF;
	SELECT jsonb_build_object('at', rfc3339(e.at), 'actor', e.actor,
	    'from', e.changes->'state'->>'old',
	    'to', e.changes->'state'->>'new',
	    'reason', e.changes->'reason'->>'new')
	INTO v_last
	FROM case_events e
	WHERE e.case_id = k.id AND e.action = 'transition'
	ORDER BY e.seq DESC LIMIT 1;
	-- Every user of the office, not only those the page names: an office
	-- has tens of staff, and finding the names in the document (five
	-- recursive JSON path walks) cost a third of the page's SQL (issue
	-- 21, docs/benchmark.md).  Other offices' users are never in it.
	SELECT coalesce(jsonb_object_agg(u.username, u.display_name), '{}')
	INTO v_names
	FROM users u
	WHERE u.office_id = c.office_id;
	RETURN jsonb_build_object(
	    'me', jsonb_build_object('username', c.username,
		'display_name', c.display_name, 'role', c.role,
		'office', c.office_code,
		'office_name', (SELECT name FROM offices
		    WHERE id = c.office_id)),
	    'case', v_case, 'timeline', v_timeline,
	    'last_transition', v_last, 'names', v_names);
END
$$;

-- GET /cases/{id}/print: the case page's read for printing.  Same checks
-- and answer as api_page_case, but the trail records a `printed` event
-- (a paper copy of the case left the system) rather than `viewed`.  It
-- is recorded as a view is (case_views, chained later, without the
-- case's lock) and, like every view now, with the ordinary commit: a
-- print must not be lost in a crash.
CREATE OR REPLACE FUNCTION api_page_case_print(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_events_ok boolean, p_limit integer)
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
	k := case_find(p_id);
	r := case_check(c, k, p_role_ok, false, NULL, NULL);
	IF r.status IS NOT NULL THEN
		RETURN NEXT r;
		RETURN;
	END IF;
	PERFORM case_view_add(c, k, 'printed');
	RETURN NEXT api_ok(200, case_page_json(c, k, p_events_ok, p_limit)
	    || jsonb_build_object('printed_at', rfc3339(now())), k.version);
END
$$;

-- The case page's timeline: the changes to a case, without its views.
--
-- The page used to read the first 200 events of GET .../events and drop
-- the `viewed` ones in C.  Every whole-case read is a `viewed` event, so
-- a case read often had most of its first 200 events be views: its later
-- changes (a referral, the closing) were never shown, and the database
-- built the JSON of every view only for the page to throw it away (in
-- the bench the median live case had 11 events, 10 of them views; one
-- had 10,723).  This reads the latest p_limit changes, oldest first,
-- through the (case_id, action, seq) index that leaves views out, and
-- says whether there were earlier ones.  Same checks as
-- api_case_events, in the same order; the role's right to the events is
-- p_role_ok, as there.
--
-- Kept for the rolling upgrade: nothing in this release calls it, but a
-- server of the release before (0012) does while instances are upgraded
-- one after the other.  It may go in the release after this one: a
-- migration that drops it, and this definition removed.
CREATE OR REPLACE FUNCTION api_page_case_timeline(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_id text,
    p_role_ok boolean, p_limit integer)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	k	cases;
	r	api_result;
	v_items	jsonb;
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
	-- One more than asked for: whether there are earlier changes.
	SELECT coalesce(jsonb_agg(case_event_json(e.ev) ORDER BY (e.ev).seq)
	    FILTER (WHERE e.rank <= p_limit), '[]'), count(*)
	INTO v_items, v_n
	FROM (SELECT ce AS ev, row_number() OVER (ORDER BY ce.seq DESC) AS rank
	      FROM case_events ce
	      WHERE ce.case_id = k.id AND ce.action <> 'viewed'
	      ORDER BY ce.seq DESC LIMIT p_limit + 1) e;
	RETURN NEXT api_ok(200, jsonb_build_object('items', v_items,
	    'earlier', v_n > p_limit));
END
$$;

-- The assignment forms (/cases/{id}/assignment, /assign-officer): the
-- office's medical examiners (MEs and lead MEs) and officers who may
-- be assigned (not disabled), each with the number of open cases they
-- hold, so that the forms name people by display name rather than by
-- username.  Any role that may assign (officer, ME, lead ME); own
-- office only (and the RLS policy on cases holds too).
CREATE OR REPLACE FUNCTION api_page_assignees(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text)
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
	    'lead_medical_examiner') THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not assign cases.');
		RETURN;
	END IF;
	WITH p AS (
		SELECT u.username, u.display_name, u.role,
		    CASE WHEN u.role = 'officer' THEN (SELECT count(*)
		        FROM cases k WHERE k.office_id = c.office_id
		        AND k.officer_id = u.id AND NOT case_is_final(k.state))
		    ELSE (SELECT count(*) FROM cases k
		        WHERE k.office_id = c.office_id
		        AND k.examiner_id = u.id AND NOT case_is_final(k.state))
		    END AS open
		FROM users u
		WHERE u.office_id = c.office_id AND NOT u.disabled
		  AND u.role IN ('medical_examiner', 'lead_medical_examiner',
		  'officer')
	)
	SELECT jsonb_build_object(
	    'examiners', (SELECT coalesce(jsonb_agg(jsonb_build_object(
	        'username', p.username, 'display_name', p.display_name,
	        'open', p.open) ORDER BY p.display_name, p.username), '[]')
	        FROM p WHERE p.role <> 'officer'),
	    'officers', (SELECT coalesce(jsonb_agg(jsonb_build_object(
	        'username', p.username, 'display_name', p.display_name,
	        'open', p.open) ORDER BY p.display_name, p.username), '[]')
	        FROM p WHERE p.role = 'officer'))
	INTO v;
	RETURN NEXT api_ok(200, v);
END
$$;
