-- The monthly transparency export (API.md "Exports", DOMAIN.md §8),
-- computed from the case records and the event trail, never from
-- counters kept on the side.  Months are Europe/London months; an event
-- counts in the month it was recorded.  Withdrawn cases count nowhere.
--
-- export_raw() returns the raw figures of each office; disclosure
-- control and rendering happen in C (app/core/export.c), so that the
-- HTTP route and medexctl give the same bytes.

-- Aggregates may cross offices (a national export), and only the export
-- function turns this on, after checking the caller's role, for the rest
-- of its own statement.  Each policy only ever allows reading.
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['cases', 'contacts', 'contact_exhaustions',
	    'coroner_referrals', 'governance_referrals', 'case_events'] LOOP
		EXECUTE format('CREATE POLICY export_aggregate ON %I FOR SELECT '
		    'USING (current_setting(''medex.export'', true) = ''on'')', t);
	END LOOP;
END
$$;

CREATE INDEX cases_office_notified ON cases (office_id, notified_at);
CREATE INDEX coroner_referrals_office_decided ON coroner_referrals
    (office_id, decision_recorded_at) WHERE decision IS NOT NULL;
CREATE INDEX contacts_office_concerns ON contacts (office_id, recorded_at)
    WHERE concerns_raised;
CREATE INDEX case_events_case_action ON case_events (case_id, action, seq);

CREATE FUNCTION export_raw(p_month text, p_offices bigint[])
RETURNS jsonb LANGUAGE sql STABLE AS $$
WITH b AS (
	SELECT (p_month || '-01')::timestamp AT TIME ZONE 'Europe/London' AS t0,
	    ((p_month || '-01')::date + 1 * interval '1 month')::timestamp
	    AT TIME ZONE 'Europe/London' AS t1
), notified AS (
	SELECT k.office_id, count(*) AS n,
	    count(*) FILTER (WHERE k.urgent_requested) AS urgent
	FROM cases k, b
	WHERE k.office_id = ANY (p_offices) AND k.notified_at >= b.t0
	  AND k.notified_at < b.t1 AND k.state <> 'withdrawn'
	GROUP BY k.office_id
), ends AS (
	-- Scrutiny ends once per case: the first entry to awaiting_mccd,
	-- or coroner_investigating if that came first.
	SELECT e.office_id, e.case_id,
	    london_date(e.at) - london_date(k.notified_at) AS days
	FROM case_events e JOIN cases k ON k.id = e.case_id, b
	WHERE e.office_id = ANY (p_offices) AND e.at >= b.t0 AND e.at < b.t1
	  AND e.action = 'transition' AND k.state <> 'withdrawn'
	  AND e.changes->'state'->>'new' IN ('awaiting_mccd',
	      'coroner_investigating')
	  AND NOT EXISTS (SELECT 1 FROM case_events p
	      WHERE p.case_id = e.case_id AND p.action = 'transition'
	        AND p.seq < e.seq AND p.changes->'state'->>'new' IN
	        ('awaiting_mccd', 'coroner_investigating'))
), bereaved AS (
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
	FROM case_events e JOIN cases k ON k.id = e.case_id, b
	WHERE e.office_id = ANY (p_offices) AND e.at >= b.t0 AND e.at < b.t1
	  AND e.action = 'transition' AND k.state <> 'withdrawn'
	  AND e.changes->'state'->>'new' = 'referred_to_coroner'
	GROUP BY e.office_id
), decisions AS (
	SELECT r.office_id,
	    count(*) FILTER (WHERE r.decision = 'investigating') AS inv,
	    count(*) FILTER (WHERE r.decision = 'not_investigating') AS notinv
	FROM coroner_referrals r JOIN cases k ON k.id = r.case_id, b
	WHERE r.office_id = ANY (p_offices) AND r.decision IS NOT NULL
	  AND r.decision_recorded_at >= b.t0 AND r.decision_recorded_at < b.t1
	  AND k.state <> 'withdrawn'
	GROUP BY r.office_id
), concerns AS (
	SELECT t.office_id, count(DISTINCT t.case_id) AS n
	FROM contacts t JOIN cases k ON k.id = t.case_id, b
	WHERE t.office_id = ANY (p_offices) AND t.concerns_raised
	  AND t.recorded_at >= b.t0 AND t.recorded_at < b.t1
	  AND k.state <> 'withdrawn'
	  AND NOT EXISTS (SELECT 1 FROM contacts p WHERE p.case_id = t.case_id
	      AND p.concerns_raised AND p.recorded_at < b.t0)
	GROUP BY t.office_id
), gov AS (
	SELECT g.office_id,
	    count(*) FILTER (WHERE g.kind = 'structured_judgement_review') AS sjr,
	    count(*) FILTER (WHERE g.kind = 'patient_safety') AS ps,
	    count(*) FILTER (WHERE g.kind = 'learning_from_deaths') AS lfd,
	    count(*) FILTER (WHERE g.kind = 'pals') AS pals,
	    count(*) FILTER (WHERE g.kind = 'other') AS other
	FROM governance_referrals g JOIN cases k ON k.id = g.case_id, b
	WHERE g.office_id = ANY (p_offices) AND g.recorded_at >= b.t0
	  AND g.recorded_at < b.t1 AND k.state <> 'withdrawn'
	GROUP BY g.office_id
), urgent AS (
	SELECT e.office_id, count(*) AS n
	FROM case_events e JOIN cases k ON k.id = e.case_id, b
	WHERE e.office_id = ANY (p_offices) AND e.at >= b.t0 AND e.at < b.t1
	  AND e.action = 'urgent_release_recorded' AND k.state <> 'withdrawn'
	  AND e.changes->'urgent_outcome'->>'new' = 'achieved'
	GROUP BY e.office_id
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
    'days', coalesce(c.days, '[]'::jsonb)) ORDER BY o.code), '[]'::jsonb))
FROM offices o
LEFT JOIN notified n ON n.office_id = o.id
LEFT JOIN completed c ON c.office_id = o.id
LEFT JOIN bereaved_n be ON be.office_id = o.id
LEFT JOIN referrals r ON r.office_id = o.id
LEFT JOIN decisions d ON d.office_id = o.id
LEFT JOIN concerns cc ON cc.office_id = o.id
LEFT JOIN gov g ON g.office_id = o.id
LEFT JOIN urgent u ON u.office_id = o.id
WHERE o.id = ANY (p_offices)
$$;

-- GET /api/v1/exports/monthly: the raw figures for the C side to
-- publish.  National analysts: any office, or all when none is named;
-- analysts and lead MEs: their own office only.
CREATE FUNCTION api_export_monthly(p_jti text, p_sub text, p_role text,
    p_office text, p_csrf text, p_address text, p_month text,
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
		SELECT array_agg(id) INTO v_ids FROM offices;
	ELSE
		v_ids := ARRAY[c.office_id];
	END IF;
	PERFORM set_config('medex.export', 'on', true);
	PERFORM security_log('export', c.username, c.office_code,
	    coalesce(p_want, CASE WHEN c.role = 'national_analyst' THEN 'ALL'
	    ELSE c.office_code END), p_address,
	    jsonb_build_object('month', p_month));
	RETURN NEXT api_ok(200, export_raw(p_month, coalesce(v_ids, '{}')));
END
$$;
