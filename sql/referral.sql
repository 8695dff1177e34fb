-- Issue 23: the coroner referral document, its sending and the
-- coroner's acknowledgement.
--
-- Sending and the acknowledgement are writes to a case like the
-- others: api_case_write (sql/cases_write.sql) takes the kinds
-- 'referral_sent' and 'referral_ack', so the order of checks (401, 404,
-- 403, 428/412, the C's 422, 409 for a final case) and the chained
-- event are the same; what those two kinds check and write is here.

-- The latest referral r of case k, under the row lock of
-- api_case_write.  Returns the fields that are wrong (b, '{}' if none),
-- whether the body repeats what is recorded (n: nothing to record), and
-- the event's changes (ch).
CREATE OR REPLACE FUNCTION referral_sent_apply(c auth_ctx, k cases,
    r coroner_referrals, p_kind text, p_data jsonb,
    OUT b jsonb, OUT n boolean, OUT ch jsonb)
LANGUAGE plpgsql AS $$
DECLARE
	v_at	timestamptz;
BEGIN
	b := '{}';
	n := false;
	IF r.id IS NULL THEN
		b := jsonb_build_object('coroner_referral',
		    'no referral to the coroner is recorded');
		RETURN;
	END IF;
	IF p_kind = 'referral_sent' THEN
		v_at := (p_data->>'sent_at')::timestamptz;
		IF london_date(v_at) < k.date_of_death THEN
			b := jsonb_build_object('sent_at', 'is before the death');
			RETURN;
		END IF;
		IF r.acknowledged_at IS NOT NULL AND v_at > r.acknowledged_at
		    THEN
			b := jsonb_build_object('sent_at',
			    'is after the coroner acknowledged the referral');
			RETURN;
		END IF;
		IF r.sent_at IS NOT DISTINCT FROM v_at AND r.sent_method
		    IS NOT DISTINCT FROM p_data->>'method' THEN
			n := true;
			RETURN;
		END IF;
		UPDATE coroner_referrals SET sent_at = v_at,
		    sent_method = p_data->>'method', sent_by = c.user_id
		WHERE id = r.id;
		ch := jsonb_build_object('referral', jsonb_build_object(
		    'new', r.id::text), 'sent_at', jsonb_build_object(
		    'old', rfc3339(r.sent_at), 'new', rfc3339(v_at)),
		    'method', jsonb_build_object('old', r.sent_method,
		    'new', p_data->>'method'));
		RETURN;
	END IF;
	v_at := (p_data->>'acknowledged_at')::timestamptz;
	IF r.sent_at IS NULL THEN
		b := jsonb_build_object('coroner_referral',
		    'has not been recorded as sent');
		RETURN;
	END IF;
	-- By London date: a form gives a day, an acknowledgement by phone
	-- may come within the hour.
	IF london_date(v_at) < london_date(r.sent_at) THEN
		b := jsonb_build_object('acknowledged_at',
		    'is before the referral was sent');
		RETURN;
	END IF;
	IF r.acknowledged_at IS NOT DISTINCT FROM v_at AND
	    r.acknowledgement_reference IS NOT DISTINCT FROM
	    p_data->>'reference' THEN
		n := true;
		RETURN;
	END IF;
	UPDATE coroner_referrals SET acknowledged_at = v_at,
	    acknowledged_by = c.user_id,
	    acknowledgement_reference = p_data->>'reference'
	WHERE id = r.id;
	ch := jsonb_build_object('referral', jsonb_build_object(
	    'new', r.id::text), 'acknowledged_at', jsonb_build_object(
	    'old', rfc3339(r.acknowledged_at), 'new', rfc3339(v_at)),
	    'reference', jsonb_build_object('old',
	    r.acknowledgement_reference, 'new', p_data->>'reference'));
END
$$;

-- Weekdays strictly after p_from and strictly before p_to: a referral
-- sent on a Monday has waited two whole working days on Thursday.
-- Bank holidays are not known to medex and count as working days.
CREATE OR REPLACE FUNCTION working_days_between(p_from date, p_to date)
RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	n	integer := p_to - p_from - 1;
	v	integer;
	d	date;
BEGIN
	IF n <= 0 THEN
		RETURN 0;
	END IF;
	-- Five in each whole week, then the days left one by one.
	v := (n / 7) * 5;
	d := p_from + 1 + (n / 7) * 7;
	WHILE d < p_to LOOP
		IF extract(isodow FROM d) < 6 THEN
			v := v + 1;
		END IF;
		d := d + 1;
	END LOOP;
	RETURN v;
END
$$;

-- The case's open referral was sent more than two working days ago
-- and the coroner has not acknowledged it: the officer chases it
-- (api_case_list's awaiting=coroner_acknowledgement and
-- api_case_summary's awaiting_coroner_acknowledgement).
CREATE OR REPLACE FUNCTION referral_unacknowledged(p_case bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM coroner_referrals r
	    WHERE r.case_id = p_case AND r.decision IS NULL
	    AND r.sent_at IS NOT NULL AND r.acknowledged_at IS NULL
	    AND working_days_between(london_date(r.sent_at),
	    london_date(now())) >= 2)
$$;

-- GET /cases/{id}/referral-document (and its PDF): the case page's
-- checks and answer (case_page_json), with the office (its coroner
-- area) and the case's examiner (display name; medex holds no GMC
-- number for its users, so it is null and the document says so).  A
-- `printed` event names the document: what left medex is in the trail.
CREATE OR REPLACE FUNCTION api_page_referral_document(p_jti text,
    p_sub text, p_role text, p_office text, p_csrf text, p_address text,
    p_id text, p_role_ok boolean, p_pdf boolean)
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
	PERFORM case_event_add(k.id, c, 'printed', jsonb_build_object(
	    'document', jsonb_build_object('new', CASE WHEN p_pdf
	    THEN 'coroner_referral_pdf' ELSE 'coroner_referral' END)));
	RETURN NEXT api_ok(200, case_page_json(c, k, false, 0)
	    || jsonb_build_object('printed_at', rfc3339(now()),
	    'office', (SELECT jsonb_build_object('code', o.code,
	        'name', o.name, 'coroner_area', o.coroner_area)
	        FROM offices o WHERE o.id = k.office_id),
	    'examiner', (SELECT jsonb_build_object('username', u.username,
	        'display_name', u.display_name, 'gmc_number', NULL)
	        FROM users u WHERE u.id = k.examiner_id)), k.version);
END
$$;
