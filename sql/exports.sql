-- The monthly transparency export and the exports page's series.

-- The monthly transparency export (API.md "Exports", DOMAIN.md §8),
-- computed from the case records and the event trail, never from
-- counters kept on the side.  Months are Europe/London months; an event
-- counts in the month it was recorded.  Withdrawn cases count nowhere.
--
-- export_raw() returns the raw figures of each office; disclosure
-- control and rendering happen in C (app/core/export.c), so that the
-- HTTP route and medexctl give the same bytes.
--
-- The national export over ten years of cases (bench/, 6M) must find
-- the month's rows through the (office_id, at) and (office_id,
-- notified_at) indexes.  As an SQL function with its month in a CTE the
-- planner could not see the month's bounds and drove the "scrutiny
-- completed" count from every case of every office (a sequential scan of
-- cases, then an index probe of case_events per case: 19,134 probes at
-- 10k cases, and growing with the years kept).  In PL/pgSQL the bounds
-- are values the planner sees; force_custom_plan keeps it from falling
-- back to a generic plan that forgets them after a few calls.  The
-- bereaved outcome of each completed case is worked out once
-- (MATERIALIZED): inlined, its CASE ran once per count that reads it,
-- each time with a scan of every contact.  The figures are the same,
-- computed by the same statement.
CREATE OR REPLACE FUNCTION export_raw(p_month text, p_offices bigint[])
RETURNS jsonb LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	v_t0	timestamptz := (p_month || '-01')::timestamp
		    AT TIME ZONE 'Europe/London';
	v_t1	timestamptz := ((p_month || '-01')::date
		    + interval '1 month')::timestamp AT TIME ZONE 'Europe/London';
	v_out	jsonb;
BEGIN
	WITH notified AS (
		SELECT k.office_id, count(*) AS n,
		    count(*) FILTER (WHERE k.urgent_requested) AS urgent
		FROM cases k
		WHERE k.office_id = ANY (p_offices) AND k.notified_at >= v_t0
		  AND k.notified_at < v_t1 AND k.state <> 'withdrawn'
		GROUP BY k.office_id
	), ends AS (
		-- Scrutiny ends once per case: the first entry to awaiting_mccd,
		-- or coroner_investigating if that came first.
		SELECT e.office_id, e.case_id,
		    london_date(e.at) - london_date(k.notified_at) AS days
		FROM case_events e JOIN cases k ON k.id = e.case_id
		WHERE e.office_id = ANY (p_offices) AND e.at >= v_t0 AND e.at < v_t1
		  AND e.action = 'transition' AND k.state <> 'withdrawn'
		  AND e.changes->'state'->>'new' IN ('awaiting_mccd',
		      'coroner_investigating')
		  AND NOT EXISTS (SELECT 1 FROM case_events p
		      WHERE p.case_id = e.case_id AND p.action = 'transition'
		        AND p.seq < e.seq AND p.changes->'state'->>'new' IN
		        ('awaiting_mccd', 'coroner_investigating'))
	), bereaved AS MATERIALIZED (
		SELECT x.office_id, x.case_id,
		    CASE WHEN EXISTS (SELECT 1 FROM contacts t
		        WHERE t.case_id = x.case_id AND t.outcome = 'reached')
		    THEN 'reached'
		    ELSE (SELECT z.reason FROM contact_exhaustions z
		        WHERE z.case_id = x.case_id ORDER BY z.id DESC LIMIT 1)
		    END AS how
		FROM ends x
	), completed AS (
		SELECT x.office_id, count(*) AS n,
		    count(*) FILTER (WHERE x.days <= 3) AS within,
		    jsonb_agg(x.days ORDER BY x.days) AS days
		FROM ends x GROUP BY x.office_id
	), bereaved_n AS (
		SELECT office_id,
		    count(*) FILTER (WHERE how = 'reached') AS reached,
		    count(*) FILTER (WHERE how = 'declined') AS declined,
		    count(*) FILTER (WHERE how = 'no_response') AS no_response,
		    count(*) FILTER (WHERE how = 'no_contacts') AS no_contacts,
		    count(*) FILTER (WHERE how = 'other') AS other
		FROM bereaved GROUP BY office_id
	), referrals AS (
		SELECT e.office_id, count(*) AS n
		FROM case_events e JOIN cases k ON k.id = e.case_id
		WHERE e.office_id = ANY (p_offices) AND e.at >= v_t0 AND e.at < v_t1
		  AND e.action = 'transition' AND k.state <> 'withdrawn'
		  AND e.changes->'state'->>'new' = 'referred_to_coroner'
		GROUP BY e.office_id
	), decisions AS (
		SELECT r.office_id,
		    count(*) FILTER (WHERE r.decision = 'investigating') AS inv,
		    count(*) FILTER (WHERE r.decision = 'not_investigating') AS notinv
		FROM coroner_referrals r JOIN cases k ON k.id = r.case_id
		WHERE r.office_id = ANY (p_offices) AND r.decision IS NOT NULL
		  AND r.decision_recorded_at >= v_t0 AND r.decision_recorded_at < v_t1
		  AND k.state <> 'withdrawn'
		GROUP BY r.office_id
	), concerns AS (
		SELECT t.office_id, count(DISTINCT t.case_id) AS n
		FROM contacts t JOIN cases k ON k.id = t.case_id
		WHERE t.office_id = ANY (p_offices) AND t.concerns_raised
		  AND t.recorded_at >= v_t0 AND t.recorded_at < v_t1
		  AND k.state <> 'withdrawn'
		  AND NOT EXISTS (SELECT 1 FROM contacts p WHERE p.case_id = t.case_id
		      AND p.concerns_raised AND p.recorded_at < v_t0)
		GROUP BY t.office_id
	), gov AS (
		SELECT g.office_id,
		    count(*) FILTER (WHERE g.kind = 'structured_judgement_review') AS sjr,
		    count(*) FILTER (WHERE g.kind = 'patient_safety') AS ps,
		    count(*) FILTER (WHERE g.kind = 'learning_from_deaths') AS lfd,
		    count(*) FILTER (WHERE g.kind = 'pals') AS pals,
		    count(*) FILTER (WHERE g.kind = 'other') AS other
		FROM governance_referrals g JOIN cases k ON k.id = g.case_id
		WHERE g.office_id = ANY (p_offices) AND g.recorded_at >= v_t0
		  AND g.recorded_at < v_t1 AND k.state <> 'withdrawn'
		GROUP BY g.office_id
	), urgent AS (
		SELECT e.office_id, count(*) AS n
		FROM case_events e JOIN cases k ON k.id = e.case_id
		WHERE e.office_id = ANY (p_offices) AND e.at >= v_t0 AND e.at < v_t1
		  AND e.action = 'urgent_release_recorded' AND k.state <> 'withdrawn'
		  AND e.changes->'urgent_outcome'->>'new' = 'achieved'
		GROUP BY e.office_id
	), leder AS (
		-- LeDeR told in the month (a date: the London month's days).
		SELECT k.office_id, count(*) AS n
		FROM cases k
		WHERE k.office_id = ANY (p_offices)
		  AND k.leder_notified_at >= (p_month || '-01')::date
		  AND k.leder_notified_at < (p_month || '-01')::date
		      + interval '1 month'
		  AND k.state <> 'withdrawn'
		GROUP BY k.office_id
	)
	SELECT jsonb_build_object('rows', coalesce(jsonb_agg(jsonb_build_object(
	    'office', o.code,
	    'deaths_notified', coalesce(n.n, 0),
	    'scrutiny_completed', coalesce(c.n, 0),
	    'completed_within_target', coalesce(c.within, 0),
	    'coroner_referrals', coalesce(r.n, 0),
	    'coroner_investigating', coalesce(d.inv, 0),
	    'coroner_not_investigating', coalesce(d.notinv, 0),
	    'bereaved_reached', coalesce(be.reached, 0),
	    'bereaved_declined', coalesce(be.declined, 0),
	    'bereaved_no_response', coalesce(be.no_response, 0),
	    'bereaved_no_contacts', coalesce(be.no_contacts, 0),
	    'bereaved_other', coalesce(be.other, 0),
	    'concerns_raised', coalesce(cc.n, 0),
	    'referrals_structured_judgement_review', coalesce(g.sjr, 0),
	    'referrals_patient_safety', coalesce(g.ps, 0),
	    'referrals_learning_from_deaths', coalesce(g.lfd, 0),
	    'referrals_pals', coalesce(g.pals, 0),
	    'referrals_other', coalesce(g.other, 0),
	    'urgent_release_requested', coalesce(n.urgent, 0),
	    'urgent_release_achieved', coalesce(u.n, 0),
	    'leder_notifications', coalesce(l.n, 0),
	    'days', coalesce(c.days, '[]'::jsonb)) ORDER BY o.code), '[]'::jsonb))
	INTO v_out
	FROM offices o
	LEFT JOIN notified n ON n.office_id = o.id
	LEFT JOIN completed c ON c.office_id = o.id
	LEFT JOIN bereaved_n be ON be.office_id = o.id
	LEFT JOIN referrals r ON r.office_id = o.id
	LEFT JOIN decisions d ON d.office_id = o.id
	LEFT JOIN concerns cc ON cc.office_id = o.id
	LEFT JOIN gov g ON g.office_id = o.id
	LEFT JOIN urgent u ON u.office_id = o.id
	LEFT JOIN leder l ON l.office_id = o.id
	WHERE o.id = ANY (p_offices);
	RETURN v_out;
END
$$;

-- GET /api/v1/exports/monthly, its first half: who may export which
-- offices.  National analysts: any office, or all when none is named;
-- analysts and lead MEs: their own office only.  The export is logged
-- here, on the primary, whichever copy of the data answers it.  200 with
-- {"offices": [ids]}, or the refusal.
CREATE OR REPLACE FUNCTION api_export_grant(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_month text,
    p_want text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v_ids	bigint[];
	v_id	bigint;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role NOT IN ('analyst', 'national_analyst',
	    'lead_medical_examiner') THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not export figures.');
		RETURN;
	END IF;
	IF p_want IS NOT NULL THEN
		SELECT id INTO v_id FROM offices WHERE code = p_want;
		IF NOT FOUND THEN
			RETURN NEXT api_error(404, 'not_found',
			    'There is no such office.');
			RETURN;
		END IF;
		IF c.role <> 'national_analyst' AND v_id <> c.office_id THEN
			RETURN NEXT api_error(403, 'forbidden',
			    'You may export only your own office.');
			RETURN;
		END IF;
		v_ids := ARRAY[v_id];
	ELSIF c.role = 'national_analyst' THEN
		SELECT array_agg(id ORDER BY id) INTO v_ids FROM offices;
	ELSE
		v_ids := ARRAY[c.office_id];
	END IF;
	PERFORM security_log('export', c.username, c.office_code,
	    coalesce(p_want, CASE WHEN c.role = 'national_analyst' THEN 'ALL'
	    ELSE c.office_code END), p_address,
	    jsonb_build_object('month', p_month));
	RETURN NEXT api_ok(200, jsonb_build_object('offices',
	    to_jsonb(coalesce(v_ids, '{}'))));
END
$$;

-- GET /api/v1/exports/monthly on the primary alone (no read replica
-- configured): the grant and the raw figures in one call, for the C
-- side to publish.
CREATE OR REPLACE FUNCTION api_export_monthly(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_month text,
    p_want text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	g	api_result;
	v_ids	bigint[];
BEGIN
	SELECT * INTO g FROM api_export_grant(p_jti, p_sub, p_role, p_office,
	    p_csrf, p_address, p_month, p_want);
	IF g.status <> 200 THEN
		RETURN NEXT g;
		RETURN;
	END IF;
	SELECT coalesce(array_agg(x::bigint), '{}') INTO v_ids
	FROM jsonb_array_elements_text(g.body::jsonb->'offices') x;
	PERFORM set_config('medex.export', 'on', true);
	RETURN NEXT api_ok(200, export_raw(p_month, v_ids));
END
$$;

-- How far behind the primary this copy of the database is, in seconds:
-- 0 on the primary, and on a standby that has replayed all it received
-- from a primary it is streaming from; otherwise the age of the last
-- transaction it replayed (NULL when it never replayed one, or has no
-- WAL receiver to say it is streaming: an unknown lag, refused).
CREATE OR REPLACE FUNCTION replica_lag()
RETURNS double precision LANGUAGE sql STABLE AS $$
	SELECT CASE
	    WHEN NOT pg_is_in_recovery() THEN 0::double precision
	    WHEN pg_is_wal_replay_paused() THEN extract(epoch FROM now() -
		pg_last_xact_replay_timestamp())::double precision
	    WHEN (SELECT count(*) FROM pg_stat_wal_receiver) = 0 THEN NULL
	    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
		THEN 0::double precision
	    ELSE extract(epoch FROM now() -
		pg_last_xact_replay_timestamp())::double precision
	END
$$;

-- GET /api/v1/exports/monthly, its second half on the read replica
-- (MEDEX_DB_READ_URL): the raw figures of the offices that
-- api_export_grant gave, unless the replica is more than p_max_lag
-- seconds behind.  {"lag": seconds or null, "raw": export_raw or null}.
--
-- The standby is read-only, so the grant (and its security-log row) is
-- the primary's; but the server is not trusted with the offices alone
-- (issue 20): the session must be on the standby too, live and of an
-- exporting role, and p_ids must be what that role may have (its own
-- office, or any for a national analyst), or nothing is read
-- ("refused": true).  The session of a sign-in the standby has not yet
-- replayed is not there: within p_max_lag, a retry finds it.
CREATE OR REPLACE FUNCTION export_replica(p_jti text, p_sub text,
    p_role text, p_office text, p_month text, p_ids bigint[],
    p_max_lag integer)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_lag		double precision := replica_lag();
	v_role		text;
	v_office	bigint;
BEGIN
	IF v_lag IS NULL OR v_lag > p_max_lag THEN
		RETURN jsonb_build_object('lag', v_lag, 'raw', NULL);
	END IF;
	SELECT u.role, u.office_id INTO v_role, v_office
	FROM sessions s
	JOIN users u ON u.id = s.user_id
	JOIN offices o ON o.id = u.office_id
	WHERE s.jti = p_jti AND s.revoked_at IS NULL AND s.expires_at > now()
	  AND u.username = p_sub AND NOT u.disabled AND u.role = p_role
	  AND o.code = p_office
	  AND u.role IN ('analyst', 'national_analyst',
	      'lead_medical_examiner');
	IF NOT FOUND OR p_ids IS NULL OR (v_role <> 'national_analyst' AND
	    p_ids IS DISTINCT FROM ARRAY[v_office]) THEN
		RETURN jsonb_build_object('lag', v_lag, 'raw', NULL,
		    'refused', true);
	END IF;
	PERFORM set_config('medex.export', 'on', true);
	RETURN jsonb_build_object('lag', v_lag,
	    'raw', export_raw(p_month, p_ids));
END
$$;

-- The month before the current one in Europe/London: the last month
-- whose figures are complete.
CREATE OR REPLACE FUNCTION export_default_month()
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT to_char(date_trunc('month', now() AT TIME ZONE 'Europe/London')
	    - interval '1 month', 'YYYY-MM')
$$;

-- {"display_name", "role", "month", "office" (null: every office),
--  "offices": [codes the caller may pick], "months": [{"month",
--  "rows": [export_raw rows]}, ...]}, oldest month first, the chosen
-- month last.  The role and office rules are api_export_monthly's.
CREATE OR REPLACE FUNCTION api_export_series(p_jti text, p_sub text,
    p_role text, p_office text, p_csrf text, p_address text, p_month text,
    p_want text)
RETURNS SETOF api_result LANGUAGE plpgsql AS $$
DECLARE
	c	auth_ctx := auth_check(p_jti, p_sub, p_role, p_office, p_csrf,
		    p_address);
	v_month	text := coalesce(p_month, export_default_month());
	v_ids	bigint[];
	v_id	bigint;
	v_code	text;
	v_codes	jsonb;
	v_series jsonb;
BEGIN
	IF c.outcome <> 'ok' THEN
		RETURN NEXT auth_refusal(c);
		RETURN;
	END IF;
	IF c.role NOT IN ('analyst', 'national_analyst',
	    'lead_medical_examiner') THEN
		RETURN NEXT api_error(403, 'forbidden',
		    'Your role may not see the published figures.');
		RETURN;
	END IF;
	IF v_month !~ '^[0-9]{4}-(0[1-9]|1[0-2])$' OR v_month < '1901' THEN
		RETURN NEXT api_error(400, 'bad_request', 'Give month=YYYY-MM.');
		RETURN;
	END IF;
	IF p_want IS NOT NULL THEN
		SELECT id, code INTO v_id, v_code FROM offices
		WHERE code = p_want;
		IF NOT FOUND THEN
			RETURN NEXT api_error(404, 'not_found',
			    'There is no such office.');
			RETURN;
		END IF;
		IF c.role <> 'national_analyst' AND v_id <> c.office_id THEN
			RETURN NEXT api_error(403, 'forbidden',
			    'You may see only your own office''s figures.');
			RETURN;
		END IF;
		v_ids := ARRAY[v_id];
	ELSIF c.role = 'national_analyst' THEN
		SELECT array_agg(id) INTO v_ids FROM offices;
	ELSE
		v_ids := ARRAY[c.office_id];
		v_code := c.office_code;
	END IF;
	IF c.role = 'national_analyst' THEN
		SELECT coalesce(jsonb_agg(code ORDER BY code), '[]')
		INTO v_codes FROM offices;
	ELSE
		v_codes := jsonb_build_array(c.office_code);
	END IF;
	PERFORM set_config('medex.export', 'on', true);
	SELECT jsonb_agg(jsonb_build_object('month', m.month, 'rows',
	    export_raw(m.month, coalesce(v_ids, '{}'))->'rows')
	    ORDER BY m.month)
	INTO v_series
	FROM (SELECT to_char((v_month || '-01')::date - k * interval '1 month',
	    'YYYY-MM') AS month FROM generate_series(0, 11) k) m;
	PERFORM security_log('export_view', c.username, c.office_code,
	    coalesce(v_code, 'ALL'), p_address,
	    jsonb_build_object('month', v_month, 'months', 12));
	RETURN NEXT api_ok(200, jsonb_build_object(
	    'display_name', c.display_name, 'role', c.role,
	    'month', v_month, 'office', v_code, 'offices', v_codes,
	    'months', v_series));
END
$$;
