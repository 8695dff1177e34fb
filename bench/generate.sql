-- A synthetic national dataset for the benchmark, generated entirely in
-- SQL (bench/bench.sh runs it with psql as medex_owner):
--
--   psql -v cases=10000 -v offices=120 -f bench/generate.sql
--
-- What it makes, at the national rate of ~1,560 deaths a day (DOMAIN.md
-- §10), so that `cases` fixes the span: 10,000 cases are the last week,
-- 6,000,000 about ten and a half years:
--   * `offices` ME offices (ME001...) of uneven size, each with a lead
--     ME, 5 MEs, 10 officers, 2 liaison officers and an analyst (users
--     that cannot sign in: their hash matches no password);
--   * cases with notified_at weighted for winter (+15% in January,
--     -15% in July), each following a planned path through the state
--     machine, cut at now(): so the old are closed, the recent open, in
--     API.md's states.  About 31% are referred to the coroner (60% of
--     those investigated), 5% get a governance referral, 0.5% are
--     withdrawn;
--   * for each step the record it needs (representative, contact or
--     exhaustion, record_review note, practitioner discussion, coroner
--     referral and decision, cause of death, final actions) and the
--     case_events of every change (no `viewed` events: the benchmark's
--     own reads add those), hash-chained exactly as case_event_add()
--     does (so `medexctl audit verify` passes);
--   * NHS numbers from the 999 test range with a valid check digit
--     (never a real person; 2% have none).  The range holds only 909k
--     valid numbers, so at full scale a number recurs, years apart.
--
-- Row-level security is FORCEd on the case tables, so the owner obeys
-- it too: the rows are staged in UNLOGGED tables of a scratch schema
-- (bench_gen, dropped at the end) and copied office by office with
-- medex.office_id set to that office, as the server itself does.  No
-- policy is changed or bypassed.
\set ON_ERROR_STOP on
\if :{?offices}
\else
\set offices 120
\endif
SET client_min_messages = warning;
-- One process, so that setseed() makes the same data every time.
SET max_parallel_workers_per_gather = 0;
SET work_mem = '512MB';
SET maintenance_work_mem = '1GB';
SET search_path = public;
SELECT setseed(0.20240909);
\timing on

DROP SCHEMA IF EXISTS bench_gen CASCADE;
CREATE SCHEMA bench_gen;

-- The chain of case_event_add(): hash_n = case_event_hash(hash_n-1,
-- canonical_n), '' before the first.  As a running aggregate, a window
-- over (case_id ORDER BY seq) computes every case's chain in one pass.
-- The step is case_event_hash()'s expression in PL/pgSQL: an SQL
-- function as an aggregate's step is not inlined and ran 4x slower.
CREATE FUNCTION bench_gen.chain_step(state text, canon text)
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	RETURN encode(sha256(convert_to(state || '|' || canon, 'UTF8')),
	    'hex');
END
$$;
CREATE AGGREGATE bench_gen.chain(text) (SFUNC = bench_gen.chain_step,
    STYPE = text, INITCOND = '');

-- NHS number 999xxxxxx + check digit (DOMAIN.md §4), NULL if the
-- check digit would be 10 or the number one repeated digit.
CREATE FUNCTION bench_gen.nhs(b bigint)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN c = 10 OR n ~ '^(.)\1{9}$' THEN NULL ELSE n END
	FROM (SELECT c, b::text || (c % 11)::text AS n
	      FROM (SELECT 11 - sum((b / (10::bigint ^ (9 - i))::bigint % 10)
	            * (11 - i)) % 11 AS c
	            FROM generate_series(1, 9) i) s) t
$$;

CREATE FUNCTION bench_gen.pick(a text[], r double precision)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT a[1 + floor(r * cardinality(a))::int]
$$;

-- Offices and their staff.
INSERT INTO offices (code, name, target_days)
SELECT 'ME' || lpad(i::text, 3, '0'),
    'Medical Examiner Office ' || i || CASE WHEN i % 12 = 0
    THEN ' (Cymru)' ELSE '' END, 3
FROM generate_series(1, :offices) i;

CREATE UNLOGGED TABLE bench_gen.g_office AS
SELECT id, code, row_number() OVER (ORDER BY id) AS idx,
    0.4 + random() AS w
FROM offices WHERE code ~ '^ME[0-9]{3}$';

INSERT INTO users (username, display_name, role, office_id, password_hash)
SELECT lower(o.code) || '.' || r.tag || n,
    initcap(r.tag) || ' ' || n || ' of ' || o.code, r.role, o.id,
    '$argon2id$v=19$m=65536,t=3,p=1$YmVuY2hub3NhbHQ$bm90LWEtcGFzc3dvcmQtaGFzaC1hdC1hbGw'
FROM bench_gen.g_office o,
    (VALUES ('lead', 'lead_medical_examiner', 1),
	    ('me', 'medical_examiner', 5), ('officer', 'officer', 10),
	    ('liaison', 'liaison_officer', 2), ('analyst', 'analyst', 1))
    r(tag, role, cnt),
    generate_series(1, r.cnt) n;

CREATE UNLOGGED TABLE bench_gen.g_user AS
SELECT u.id, u.username, u.role, u.office_id,
    substring(u.username FROM '\.([a-z]+)[0-9]+$') AS tag,
    substring(u.username FROM '([0-9]+)$')::int AS n
FROM users u JOIN bench_gen.g_office o ON o.id = u.office_id;
CREATE UNIQUE INDEX ON bench_gen.g_user (office_id, tag, n);

-- One "now" for every session that loads offices (generate_office.sql).
CREATE UNLOGGED TABLE bench_gen.g_now AS SELECT now() AS t;

-- Candidate notification times over the span, thinned for the season.
SELECT greatest(7, :cases / 1560.0) AS span_days \gset
SELECT array_agg(coalesce(c, 0) ORDER BY idx) AS bounds
FROM (SELECT idx, sum(w) OVER (ORDER BY idx ROWS BETWEEN UNBOUNDED
      PRECEDING AND 1 PRECEDING) / sum(w) OVER () AS c
      FROM bench_gen.g_office) s \gset

CREATE UNLOGGED TABLE bench_gen.g_cand AS
SELECT t0, width_bucket(random(), :'bounds'::float8[]) AS oidx
FROM (SELECT date_trunc('day', t) + make_interval(secs =>
	  (7 + 12 * random()) * 3600) AS t0
      FROM (SELECT now() - make_interval(secs => :span_days * 86400
		* random()) AS t
	    FROM generate_series(1, (:cases * 1.5)::bigint)) a
      WHERE random() < (1 + 0.15 * cos(2 * pi() * (extract(doy FROM t)
	  - 15) / 365.25)) / 1.15) b
WHERE t0 < now() - interval '10 minutes'
LIMIT :cases;

-- Case ids in notification order, from the table's own sequence.
SELECT setval('cases_id_seq', nextval('cases_id_seq') + count(*) - 1)
    - count(*) AS id_base
FROM bench_gen.g_cand \gset

-- Everything random about a case, drawn once.
CREATE UNLOGGED TABLE bench_gen.g_draw AS
SELECT :id_base + row_number() OVER (ORDER BY c.t0) AS id,
    o.id AS office_id, date_trunc('second', c.t0) AS t0,
    random() AS r_path, random() AS r_late, random() AS r_inv,
    random() AS r_c, random() AS r_s, random() AS r_d, random() AS r_m,
    random() AS r_f, random() AS r_x, random() AS r_gov, random() AS r_ex,
    random() AS r_age, random() AS r_name, random() AS r_name2,
    random() AS r_place, random() AS r_prio, random() AS r_nhs,
    random() AS r_dod, random() AS r_me, random() AS r_off,
    random() AS r_cat, random() AS r_misc
FROM bench_gen.g_cand c JOIN bench_gen.g_office o ON o.idx = c.oidx;
DROP TABLE bench_gen.g_cand;

-- The planned path: milestone times (NULL when not on the path), later
-- cut at now().  a = length of the scrutiny work in days.
CREATE UNLOGGED TABLE bench_gen.g_case AS
WITH p AS (
	SELECT d.*,
	    CASE WHEN r_path < 0.005 THEN 'W' WHEN r_path < 0.145 THEN 'E'
	    WHEN r_late < 0.2 THEN 'L' ELSE 'N' END AS path,
	    r_inv < 0.6 AS inv,
	    0.3 + (-ln(1 - r_s)) * 1.2 AS a,
	    interval '1 day' AS dd
	FROM bench_gen.g_draw d
), q AS (
	SELECT p.*,
	    CASE WHEN path IN ('N', 'L') THEN t0 + (0.05 + r_c) * dd END
		AS t_claim,
	    CASE path WHEN 'E' THEN t0 + (0.1 + 0.5 * r_c) * dd
		WHEN 'L' THEN t0 + (0.05 + r_c + 0.5 * a) * dd END AS t_ref,
	    CASE WHEN path = 'W' THEN t0 + (0.05 + 0.9 * r_c) * dd END
		AS t_withdrawn
	FROM p
), r AS (
	SELECT q.*, t_ref + (0.5 + 3 * r_d) * dd AS t_dec FROM q
), s AS (
	SELECT r.*,
	    CASE WHEN inv THEN t_dec + 0.01 * dd END AS t_ci,
	    CASE WHEN NOT inv THEN t_dec + 0.02 * dd END AS t_resume
	FROM r
), t AS (
	-- S: when the scrutiny work starts (the claim, or after an early
	-- referral the coroner's decline); R: when it resumes after a late
	-- referral.  The steps after a referral the coroner takes are off
	-- the path.
	SELECT s.*,
	    CASE path WHEN 'E' THEN t_resume ELSE t_claim END AS t_s
	FROM s
), u AS (
	SELECT t.*,
	    t_s + 0.2 * a * dd AS t_review,
	    t_s + 0.4 * a * dd AS t_disc,
	    CASE WHEN path = 'L' THEN t_resume + 0.2 * a * dd
		ELSE t_s + 0.6 * a * dd END AS t_contact,
	    CASE WHEN path = 'L' THEN t_resume + 0.3 * a * dd
		ELSE t_s + 0.8 * a * dd END AS t_cause,
	    CASE WHEN path = 'L' THEN t_resume + 0.5 * a * dd
		ELSE t_s + a * dd END AS t_awaiting
	FROM t
)
SELECT id, office_id, t0, path, inv, r_gov, r_ex, r_x, r_age, r_name, r_name2,
    r_place, r_prio, r_nhs, r_dod, r_cat, r_misc,
    1 + floor(r_me * 5)::int AS me_n, 1 + floor(r_off * 10)::int AS off_n,
    1 + floor(r_misc * 2)::int AS liaison_n,
    t_claim, t_ref, t_dec, t_ci, t_resume, t_withdrawn, t_review, t_disc,
    t_contact, t_cause, t_awaiting,
    t_awaiting + (0.2 + r_m) * dd AS t_mccd,
    t_awaiting + (0.2 + r_m + 0.5 + 2 * r_f) * dd AS t_final,
    t_awaiting + (0.2 + r_m + 0.5 + 2 * r_f + 0.1 + 3 * r_x) * dd
	AS t_closed
FROM u;
DROP TABLE bench_gen.g_draw;
-- Nothing happens after a withdrawal or after the coroner takes it.
UPDATE bench_gen.g_case SET t_claim = NULL, t_ref = NULL, t_dec = NULL,
    t_review = NULL, t_disc = NULL, t_contact = NULL, t_cause = NULL,
    t_awaiting = NULL, t_mccd = NULL, t_final = NULL, t_closed = NULL
WHERE path = 'W';
UPDATE bench_gen.g_case SET t_dec = NULL, t_ci = NULL, t_resume = NULL
WHERE path IN ('N', 'W');
UPDATE bench_gen.g_case SET t_contact = NULL, t_cause = NULL,
    t_awaiting = NULL, t_mccd = NULL, t_final = NULL, t_closed = NULL
WHERE path IN ('E', 'L') AND inv;
UPDATE bench_gen.g_case SET t_review = NULL, t_disc = NULL
WHERE path = 'E' AND inv;

-- The names of the dead, drawn as they fall among real deaths: a few
-- common names with their rough share of England and Wales (Smith about
-- one person in 80, Hughes one in 350, Patricia one in 75 of those
-- dying now), then a long tail of rarer ones made from two syllables
-- (4,000 family and 1,200 given names).  With only the common names, a
-- full name like "Patricia Hughes" was one death in 840 and an office's
-- ten years held a hundred of them (issue 18); here it is about one in
-- 25,000, as among the dead.  The names with accents, apostrophes and
-- spaces stay in, for the search.
CREATE UNLOGGED TABLE bench_gen.g_names AS
WITH common(kind, ord, name, pct) AS (
    SELECT 'given', row_number() OVER (), * FROM (VALUES
	('John', 2.6), ('Margaret', 2.5), ('Mary', 1.8), ('William', 1.5),
	('David', 1.4), ('Patricia', 1.3), ('Robert', 1.3), ('Peter', 1.1),
	('Elizabeth', 1.0), ('James', 1.0), ('Joan', 1.0), ('Barbara', 1.0),
	('Jean', 1.0), ('Michael', 1.0), ('Dorothy', 0.9), ('Kenneth', 0.9),
	('Brian', 0.9), ('George', 0.8), ('Alan', 0.7), ('Ronald', 0.7),
	('Thomas', 0.7), ('Susan', 0.6), ('Sheila', 0.6), ('Betty', 0.6),
	('Joyce', 0.6), ('Eileen', 0.5), ('Doris', 0.5), ('Irene', 0.5),
	('Mohammed', 0.15), ('Dafydd', 0.05), ('Siân', 0.05),
	('Fatima', 0.05), ('Anne-Marie', 0.05), ('Rhiannon', 0.03),
	('Ieuan', 0.03), ('Gwenllian', 0.02), ('Priya', 0.02),
	('José', 0.02), ('Aoife', 0.01), ('Chidi', 0.01), ('Zoë', 0.01),
	('Bartłomiej', 0.01)) v
    UNION ALL
    SELECT 'family', row_number() OVER (), * FROM (VALUES
	('Smith', 1.2), ('Jones', 0.95), ('Williams', 0.65), ('Taylor', 0.55),
	('Brown', 0.52), ('Davies', 0.5), ('Evans', 0.38), ('Wilson', 0.37),
	('Thomas', 0.36), ('Roberts', 0.35), ('Johnson', 0.33),
	('Wright', 0.3), ('Walker', 0.29), ('Hughes', 0.29),
	('Edwards', 0.28), ('Green', 0.27), ('Hall', 0.26), ('Wood', 0.26),
	('Lewis', 0.25), ('Clarke', 0.24), ('Khan', 0.2), ('Patel', 0.2),
	('Singh', 0.15), ('Begum', 0.1), ('O''Brien', 0.05),
	('Llewellyn', 0.03), ('Nowak', 0.02), ('Okafor', 0.01),
	('Fernández', 0.01), ('Müller', 0.01), ('ap Rhys', 0.005),
	('Ŵynne', 0.005)) v
)
SELECT kind, array_agg(name ORDER BY ord) AS names,
    -- Each name's lower bound in [0, 1): width_bucket() finds a draw's
    -- name by binary search.
    array_agg(lo ORDER BY ord) AS lo, max(lo + pct / 100) AS common
FROM (SELECT kind, ord, name, pct / 100.0 AS pct, (sum(pct) OVER (
	PARTITION BY kind ORDER BY ord) - pct) / 100.0 AS lo
      FROM common) c
GROUP BY kind;

CREATE FUNCTION bench_gen.name(n bench_gen.g_names, pre text[],
    suf text[], r double precision)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	-- A draw past the common names is spread over the tail's
	-- prefix x suffix pairs: i is the pair's number.
	SELECT CASE WHEN r < n.common THEN n.names[width_bucket(r, n.lo)]
	ELSE pre[1 + i / cardinality(suf)] || suf[1 + i % cardinality(suf)]
	END
	FROM (SELECT floor((r - n.common) / (1 - n.common)
	    * cardinality(pre) * cardinality(suf))::int AS i) t
$$;

-- The deceased.
CREATE UNLOGGED TABLE bench_gen.g_person AS
SELECT g.id,
    bench_gen.name(gn, ARRAY['Al', 'Ber', 'Car', 'Del', 'El', 'Fen',
	'Gil', 'Hel', 'Is', 'Jan', 'Kat', 'Lor', 'Mab', 'Nel', 'Os', 'Per',
	'Ros', 'Sel', 'Ter', 'Val', 'Win', 'Ad', 'Bren', 'Cor', 'Dor', 'Ev',
	'Flor', 'Gwen', 'Hen', 'Ior', 'Jes', 'Ken', 'Lew', 'Mer', 'Nor',
	'Ol', 'Reg', 'Sid', 'Tom', 'Wen'],
	ARRAY['a', 'ie', 'wyn', 'ette', 'an', 'on', 'ine', 'ald', 'ric',
	'ina', 'ey', 'ia', 'ard', 'en', 'elle', 'y', 'o', 'us', 'is', 'ah',
	'ell', 'ene', 'ian', 'ora', 'el', 'ith', 'ice', 'ton', 'anne', 'er'],
	g.r_name) AS given_name,
    bench_gen.name(fn, ARRAY['Ash', 'Brad', 'Brom', 'Cald', 'Carr',
	'Chad', 'Crom', 'Dal', 'Dun', 'Elm', 'Fair', 'Farn', 'Gar', 'Glen',
	'Gold', 'Hal', 'Hart', 'Hay', 'Hol', 'Kel', 'Ken', 'Lang', 'Lind',
	'Mar', 'Mel', 'Mid', 'Nor', 'Oak', 'Pen', 'Pres', 'Rad', 'Red',
	'Rod', 'Sal', 'Sand', 'Shaw', 'Stan', 'Sum', 'Thorn', 'Tre', 'Wal',
	'War', 'Wes', 'Whit', 'Win', 'Wor', 'Yar', 'Ald', 'Bar', 'Bel',
	'Bur', 'Cam', 'Dar', 'Ed', 'Fel', 'Gil', 'Ham', 'Ing', 'Kin', 'Lan',
	'Lock', 'Mor', 'New', 'Ox', 'Pel', 'Rain', 'Rams', 'Ros', 'Sel',
	'Stock', 'Sud', 'Tal', 'Ud', 'Vern', 'Wad', 'Wick', 'Wil', 'Ayl',
	'Bick', 'Fox'],
	ARRAY['ford', 'ley', 'ton', 'worth', 'field', 'by', 'well',
	'stead', 'more', 'wick', 'combe', 'hurst', 'den', 'bury', 'ham',
	'ridge', 'dale', 'wood', 'land', 'thorpe', 'cott', 'mere', 'brook',
	'low', 'shaw', 'ing', 'stone', 'church', 'gate', 'hill', 'bridge',
	'house', 'croft', 'holm', 'ney', 'sey', 'win', 'ock', 'ett', 'ington',
	'ell', 'ard', 'ridge-Jones', 'all', 'ess', 'son', 'ers', 'ey',
	'away', 'ick'],
	g.r_name2) AS family_name,
    CASE WHEN g.r_nhs < 0.02 THEN NULL
	ELSE coalesce(bench_gen.nhs(999000000 + (g.id * 7919) % 1000000),
	bench_gen.nhs(999000000 + (g.id * 7919 + 1) % 1000000)) END
	AS nhs_number,
    london_date(g.t0) - floor(g.r_dod * 2)::int AS date_of_death,
    CASE WHEN g.r_age < 0.003 THEN floor(g.r_age / 0.003 * 27)::int
	WHEN g.r_age < 0.013 THEN 365 + floor((g.r_age - 0.003) / 0.01
	    * 17 * 365)::int
	ELSE floor((40 + 62 * sqrt((g.r_age - 0.013) / 0.987)) * 365.25)::int
	END AS age_days
FROM bench_gen.g_case g, bench_gen.g_names gn, bench_gen.g_names fn
WHERE gn.kind = 'given' AND fn.kind = 'family';

-- Who acts on each case, and what its records say.
CREATE UNLOGGED TABLE bench_gen.g_detail AS
SELECT g.id,
    uo.id AS officer_id, uo.username AS officer,
    um.id AS me_id, um.username AS me,
    ul.id AS lead_id, ul.username AS lead,
    ui.id AS liaison_id, ui.username AS liaison,
    bench_gen.pick(ARRAY['trauma_or_injury', 'unknown_cause',
	'treatment_or_procedure', 'self_harm', 'medicinal_product_or_drug',
	'neglect', 'other_unnatural', 'poisoning', 'violence',
	'employment_related', 'no_attending_practitioner',
	'practitioner_not_available', 'in_custody_or_state_detention',
	'exposure_to_toxic_substance', 'identity_unknown'],
	g.r_cat * g.r_cat) AS category,
    CASE WHEN p.age_days < 28 THEN jsonb_build_object('form', 'neonatal',
	'infant_main', 'Extreme prematurity',
	'agreed_with_attending_practitioner', true)
    ELSE jsonb_build_object('form', 'standard',
	'part1a', bench_gen.pick(ARRAY['Bronchopneumonia',
	    'Metastatic carcinoma of the lung', 'Ischaemic heart disease',
	    'Frailty of old age', 'Sepsis', 'Congestive cardiac failure',
	    'Chronic obstructive pulmonary disease', 'Alzheimer''s disease',
	    'Cerebrovascular accident'], g.r_misc),
	'part1b', CASE WHEN g.r_place < 0.5 THEN 'Chronic kidney disease'
	    END,
	'part2', CASE WHEN g.r_prio < 0.4 THEN 'Type 2 diabetes mellitus'
	    END,
	'agreed_with_attending_practitioner', true) END AS cod,
    jsonb_build_object('disposal', CASE WHEN g.r_x < 0.78 THEN 'cremation'
	ELSE 'burial' END, 'implants', CASE WHEN g.r_x < 0.05
	THEN 'present_removed' ELSE 'none' END,
	'gp_notified', 'notified') AS fa,
    CASE WHEN g.r_gov < 0.03 THEN 'structured_judgement_review'
	WHEN g.r_gov < 0.05 THEN 'learning_from_deaths'
	WHEN g.r_gov < 0.062 THEN 'patient_safety'
	WHEN g.r_gov < 0.07 THEN 'pals' WHEN g.r_gov < 0.074 THEN 'other'
	ELSE 'none' END AS gov_kind
FROM bench_gen.g_case g
JOIN bench_gen.g_person p ON p.id = g.id
JOIN bench_gen.g_user uo ON uo.office_id = g.office_id
    AND uo.tag = 'officer' AND uo.n = g.off_n
JOIN bench_gen.g_user um ON um.office_id = g.office_id
    AND um.tag = 'me' AND um.n = g.me_n
JOIN bench_gen.g_user ul ON ul.office_id = g.office_id
    AND ul.tag = 'lead' AND ul.n = 1
JOIN bench_gen.g_user ui ON ui.office_id = g.office_id
    AND ui.tag = 'liaison' AND ui.n = g.liaison_n;

-- Everything about a case in one row, kept in office order so that each
-- office's cases are read together.
CREATE UNLOGGED TABLE bench_gen.g_all AS
SELECT g.*, p.given_name, p.family_name, p.nhs_number, p.date_of_death,
    p.age_days, d.officer_id, d.officer, d.me_id, d.me, d.lead_id, d.lead,
    d.liaison_id, d.liaison, d.category, d.cod, d.fa, d.gov_kind
FROM bench_gen.g_case g
JOIN bench_gen.g_person p ON p.id = g.id
JOIN bench_gen.g_detail d ON d.id = g.id
ORDER BY g.office_id, g.id;
CREATE INDEX ON bench_gen.g_all (office_id, id);
DROP TABLE bench_gen.g_case, bench_gen.g_person, bench_gen.g_detail;

-- Loading into the two big tables is several times faster without their
-- secondary indexes: keep each definition, drop the index, and build it
-- again after the load (sorted, in one pass) exactly as the migrations
-- made it.  Indexes that back a constraint (keys, UNIQUE) stay.
CREATE UNLOGGED TABLE bench_gen.g_index AS
SELECT i.indexrelid::regclass::text AS name,
    pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i
WHERE i.indrelid IN ('cases'::regclass, 'case_events'::regclass)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k
      WHERE k.conindid = i.indexrelid);
DO $$
DECLARE
	r	record;
BEGIN
	FOR r IN SELECT name FROM bench_gen.g_index LOOP
		EXECUTE 'DROP INDEX ' || r.name;
	END LOOP;
END
$$;

-- The rows and events of one office, loaded with medex.office_id set as
-- auth_check() does, so the FORCEd policies check every row.  One call,
-- one transaction: generate_office.sql runs the offices in parallel
-- sessions (BENCH_GEN_JOBS), each building its events in temporary
-- tables that fit in memory.
CREATE FUNCTION bench_gen.load_office(o bigint)
RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
	v_now	timestamptz := (SELECT t FROM bench_gen.g_now);
BEGIN
	PERFORM set_config('medex.office_id', o::text, true);
	SET LOCAL work_mem = '512MB';
	-- The events each case's path makes, in the shape case_event_add()
	-- writes, kept when they happened by now.
	CREATE TEMP TABLE g_event ON COMMIT DROP AS
	SELECT g.id AS case_id, g.office_id, e.ord,
    date_trunc('microseconds', e.at) AS at,
    CASE e.who WHEN 'officer' THEN g.officer WHEN 'me' THEN g.me
	WHEN 'lead' THEN g.lead ELSE g.liaison END AS actor,
    CASE e.who WHEN 'officer' THEN 'officer' WHEN 'me'
	THEN 'medical_examiner' WHEN 'lead' THEN 'lead_medical_examiner'
	ELSE 'liaison_officer' END AS actor_role,
    e.action, e.changes
FROM bench_gen.g_all g
CROSS JOIN LATERAL (VALUES
    (1, g.t0, 'officer', 'created', jsonb_build_object(
	'given_name', jsonb_build_object('new', g.given_name),
	'family_name', jsonb_build_object('new', g.family_name),
	'nhs_number', jsonb_build_object('new', g.nhs_number),
	'date_of_death', jsonb_build_object('new', g.date_of_death),
	'notified_at', jsonb_build_object('new', rfc3339(g.t0)))),
    (2, g.t0 + interval '2 minutes', 'officer', 'assigned',
	jsonb_build_object('officer', jsonb_build_object('old', NULL,
	'new', g.officer))),
    (4, g.t_claim, 'me', 'transition', jsonb_build_object(
	'state', jsonb_build_object('old', 'notified', 'new', 'in_scrutiny'),
	'examiner', jsonb_build_object('old', NULL, 'new', g.me),
	'independent', jsonb_build_object('old', false, 'new', true))),
    (5, g.t_ref - interval '5 minutes', 'officer',
	'coroner_referral_recorded', jsonb_build_object('coroner_referral',
	jsonb_build_object('old', NULL, 'new', jsonb_build_object(
	'categories', jsonb_build_array(g.category), 'reason',
	'Referred under the Notification of Deaths Regulations')))),
    (6, g.t_ref, 'officer', 'transition', jsonb_build_object('state',
	jsonb_build_object('old', CASE g.path WHEN 'E' THEN 'notified'
	ELSE 'in_scrutiny' END, 'new', 'referred_to_coroner'))),
    (7, g.t_dec, 'officer', 'coroner_decision_recorded',
	jsonb_build_object('decision', jsonb_build_object('old', NULL,
	'new', CASE WHEN g.inv THEN 'investigating'
	ELSE 'not_investigating' END))),
    (8, g.t_ci, 'officer', 'transition', jsonb_build_object('state',
	jsonb_build_object('old', 'referred_to_coroner',
	'new', 'coroner_investigating'))),
    (9, g.t_resume - interval '5 minutes', 'lead',
	CASE WHEN g.path = 'E' THEN 'assigned' END,
	jsonb_build_object('examiner', jsonb_build_object('old', NULL,
	'new', g.me))),
    (10, g.t_resume, 'officer', 'transition', jsonb_build_object('state',
	jsonb_build_object('old', 'referred_to_coroner',
	'new', 'in_scrutiny'))),
    (11, g.t_contact - interval '30 minutes', 'liaison',
	'representative_added', jsonb_build_object('representative',
	jsonb_build_object('new', jsonb_build_object('id', g.id::text, 'name',
	'Next of kin of ' || g.family_name, 'relationship', 'child')))),
    (12, g.t_review, 'me', 'note_added', jsonb_build_object('note',
	jsonb_build_object('new', jsonb_build_object('id', g.id::text, 'kind',
	'record_review', 'circumstances', 'expected',
	'proposed_outcome', CASE WHEN g.path = 'L' THEN 'coroner'
	ELSE 'mccd' END)))),
    (13, g.t_disc, 'me', 'practitioner_discussion_added',
	jsonb_build_object('discussion', jsonb_build_object('new',
	jsonb_build_object('id', g.id::text, 'happened', true, 'outcome',
	CASE WHEN g.path = 'L' THEN 'refer_to_coroner' ELSE 'agreed' END)))),
    (14, g.t_contact, 'liaison', CASE WHEN g.r_ex < 0.15
	THEN 'contact_exhausted' ELSE 'contact_added' END,
	jsonb_build_object(CASE WHEN g.r_ex < 0.15 THEN 'exhausted'
	ELSE 'contact' END, jsonb_build_object('new', jsonb_build_object(
	'id', g.id::text, 'outcome', CASE WHEN g.r_ex < 0.15 THEN 'declined' ELSE 'reached'
	END, 'concerns_raised', g.r_gov < 0.11 AND g.r_ex >= 0.15)))),
    (15, g.t_cause, 'me', 'cause_of_death_recorded', jsonb_build_object(
	'cause_of_death', jsonb_build_object('old', NULL, 'new', g.cod))),
    (16, g.t_cause + interval '3 minutes', 'me',
	CASE WHEN g.r_gov < 0.11 AND g.r_ex >= 0.15
	THEN 'governance_referral_added' END, jsonb_build_object(
	'governance', jsonb_build_object('new', jsonb_build_object(
	'id', g.id::text, 'kind', g.gov_kind)))),
    (18, g.t_awaiting, 'me', 'transition', jsonb_build_object('state',
	jsonb_build_object('old', 'in_scrutiny', 'new', 'awaiting_mccd'))),
    (19, g.t_mccd, 'officer', 'transition', jsonb_build_object('state',
	jsonb_build_object('old', 'awaiting_mccd', 'new', 'mccd_issued'),
	'mccd_issued_on', jsonb_build_object('old', NULL,
	'new', london_date(g.t_mccd)))),
    (20, g.t_final, 'officer', 'final_actions_recorded',
	jsonb_build_object('final_actions', jsonb_build_object('old', NULL,
	'new', g.fa))),
    (21, g.t_closed, 'officer', 'transition', jsonb_build_object('state',
	jsonb_build_object('old', 'mccd_issued', 'new', 'closed'))),
    (22, g.t_withdrawn, 'lead', 'transition', jsonb_build_object('state',
	jsonb_build_object('old', 'notified', 'new', 'withdrawn'),
	'reason', jsonb_build_object('new', 'Entered in error: duplicate'))))
    e(ord, at, who, action, changes)
WHERE g.office_id = o AND e.at IS NOT NULL AND e.action IS NOT NULL
    AND e.at <= v_now;

	-- Sequence numbers and the hash chain, in one window pass.
	CREATE TEMP TABLE g_chain ON COMMIT DROP AS
	SELECT case_id, office_id, seq, at, actor, actor_role, action,
	    changes, coalesce(lag(hash) OVER w, '') AS prev_hash, hash
	FROM (SELECT s.*, bench_gen.chain(case_event_canonical(case_id, seq,
		  at, actor, actor_role, action, changes)) OVER w AS hash
	      FROM (SELECT e.*, row_number() OVER (PARTITION BY case_id
			ORDER BY at, ord)::int AS seq
		    FROM g_event e) s
	      WINDOW w AS (PARTITION BY case_id ORDER BY seq
		  ROWS UNBOUNDED PRECEDING)) t
	WINDOW w AS (PARTITION BY case_id ORDER BY seq);

	-- Each case's row: its state, version and chain head from its
	-- events.
	CREATE TEMP TABLE g_row ON COMMIT DROP AS
	SELECT g.*, h.state, h.version, h.event_seq, h.event_hash,
	    h.updated_at
	FROM bench_gen.g_all g
	JOIN (SELECT case_id, max(seq) AS event_seq,
		(array_agg(hash ORDER BY seq DESC))[1] AS event_hash,
		coalesce((array_agg(changes->'state'->>'new'
		    ORDER BY seq DESC) FILTER (WHERE action = 'transition'))[1],
		    'notified') AS state,
		1 + count(*) FILTER (WHERE action NOT IN ('created',
		    'viewed')) AS version,
		max(at) FILTER (WHERE action <> 'viewed') AS updated_at
	    FROM g_chain GROUP BY case_id) h ON h.case_id = g.id
	WHERE g.office_id = o;

	INSERT INTO cases (id, office_id, state, version, given_name,
	    family_name, search_name, nhs_number, date_of_birth, sex,
	    date_of_death, time_of_death, place_of_death,
	    place_detail, ap_name, ap_gmc, notified_at, deadline,
	    ethnicity, prio_child, prio_faith, urgent_requested,
	    urgent_reason, urgent_outcome, examiner_id, officer_id,
	    independent, cause_of_death, final_actions,
	    mccd_issued_on, event_seq, event_hash, created_at,
	    updated_at)
	SELECT r.id, r.office_id, r.state, r.version, r.given_name,
	    r.family_name, case_search_name(r.given_name, r.family_name),
	    r.nhs_number, r.date_of_death - r.age_days,
	    CASE WHEN r.r_misc < 0.49 THEN 'female' WHEN r.r_misc
		< 0.995 THEN 'male' ELSE 'unknown' END,
	    r.date_of_death,
	    CASE WHEN r.r_dod > 0.3 THEN make_time(floor(r.r_dod
		* 23.99)::int, floor(r.r_name * 59)::int, 0) END,
	    CASE WHEN r.r_place < 0.55 THEN 'hospital'
		WHEN r.r_place < 0.80 THEN 'home'
		WHEN r.r_place < 0.95 THEN 'care_home'
		WHEN r.r_place < 0.99 THEN 'hospice' ELSE 'other' END,
	    CASE WHEN r.r_place < 0.55 THEN 'Ward ' || (1 +
		floor(r.r_name2 * 30)::int) END,
	    'Dr ' || substr(r.family_name, 1, 1) || '. '
		|| CASE WHEN r.r_cat < 0.5 THEN 'Ahmed' ELSE 'Morgan'
		END,
	    lpad((1000000 + (r.id * 104729) % 8999999)::text, 7,
		'0'),
	    r.t0, r.t0 + interval '3 days',
	    substr('ABCDEFGHJKLMNPRSZ', 1 + floor(r.r_name2 * 17)::int,
		1),
	    r.age_days < 18 * 365, r.r_prio < 0.03,
	    r.r_prio < 0.04, CASE WHEN r.r_prio < 0.04 THEN CASE
		WHEN r.r_prio < 0.03 THEN 'faith' WHEN r.r_prio < 0.038
		THEN 'organ_donation' ELSE 'other' END END,
	    CASE WHEN r.r_prio < 0.04 AND r.t0 + interval '1 day'
		< v_now THEN CASE WHEN r.r_misc < 0.9 THEN 'achieved'
		ELSE 'not_achieved' END END,
	    CASE WHEN r.t_claim <= v_now OR r.t_resume <= v_now
		THEN r.me_id END,
	    r.officer_id,
	    coalesce(r.t_claim <= v_now, false),
	    CASE WHEN r.t_cause <= v_now THEN r.cod END,
	    CASE WHEN r.t_final <= v_now THEN r.fa END,
	    CASE WHEN r.t_mccd <= v_now THEN london_date(r.t_mccd) END,
	    r.event_seq, r.event_hash, r.t0, r.updated_at
	FROM g_row r WHERE r.office_id = o ORDER BY r.id;

	-- The name search's own tables (migrations 0030 and 0031), as
	-- case_search_name_keep writes them.
	INSERT INTO case_search_names (case_id, office_id, search_name)
	SELECT r.id, r.office_id, case_search_name(r.given_name,
	    r.family_name)
	FROM g_row r WHERE r.office_id = o;
	INSERT INTO case_search_words (office_id, word, case_id)
	SELECT s.office_id, e, s.case_id
	FROM case_search_names s, case_search_entries(s.search_name) e
	WHERE s.office_id = o;

	-- Hash version 1 (case_event_canonical), which the chain above
	-- computes: the column's default is 2 since migration event_digest.
	INSERT INTO case_events (case_id, office_id, seq, at, actor,
	    actor_role, action, changes, prev_hash, hash, hash_version)
	SELECT case_id, office_id, seq, at, actor, actor_role, action,
	    changes, prev_hash, hash, 1
	FROM g_chain WHERE office_id = o
	ORDER BY case_id, seq;

	-- Each record's id is its case's (a case has at most one of each
	-- kind here), so that its event can name it as the server's do
	-- and `medexctl audit verify` can check the one against the other;
	-- generate_finish.sql moves the sequences past them.  The record
	-- tables are empty before a generation (a fresh cluster).
	INSERT INTO representatives (id, case_id, office_id, name,
	    relationship, phone, present_at_death, is_informant,
	    author_id, recorded_at)
	SELECT id, id, office_id, 'Next of kin of ' || family_name,
	    'child', '07700 900' || lpad((id % 1000)::text, 3, '0'),
	    r_misc < 0.3, true, liaison_id,
	    t_contact - interval '30 minutes'
	FROM g_row
	WHERE office_id = o AND t_contact - interval '30 minutes'
	    <= v_now;

	INSERT INTO case_notes (id, case_id, office_id, kind, text,
	    circumstances, proposed_outcome, author_id, at)
	SELECT id, id, office_id, 'record_review',
	    'Records reviewed: admission, observations, drug chart.',
	    'expected', CASE WHEN path = 'L' THEN 'coroner'
	    ELSE 'mccd' END, me_id, t_review
	FROM g_row WHERE office_id = o AND t_review <= v_now;

	INSERT INTO practitioner_discussions (id, case_id, office_id,
	    name, gmc_number, at, happened, proposed_cause, outcome,
	    author_id, recorded_at)
	SELECT id, id, office_id, 'Dr Attending', '7654321', t_disc, true,
	    cod->>'part1a', CASE WHEN path = 'L' THEN 'refer_to_coroner'
	    ELSE 'agreed' END, me_id, t_disc
	FROM g_row WHERE office_id = o AND t_disc <= v_now;

	INSERT INTO contacts (id, case_id, office_id, person_name,
	    relationship, method, outcome, at, concerns_raised,
	    concerns, author_id, recorded_at)
	SELECT id, id, office_id, 'Next of kin of ' || family_name, 'child',
	    'phone', 'reached', t_contact, r_gov < 0.11,
	    CASE WHEN r_gov < 0.11 THEN 'Asked why the discharge was delayed.'
	    END, liaison_id, t_contact
	FROM g_row
	WHERE office_id = o AND t_contact <= v_now AND r_ex >= 0.15;

	INSERT INTO contact_exhaustions (id, case_id, office_id, reason,
	    detail, author_id, recorded_at)
	SELECT id, id, office_id, 'declined', NULL, liaison_id, t_contact
	FROM g_row
	WHERE office_id = o AND t_contact <= v_now AND r_ex < 0.15;

	INSERT INTO governance_referrals (id, case_id, office_id, kind,
	    reason, contact_id, author_id, recorded_at)
	SELECT r.id, r.id, r.office_id, r.gov_kind,
	    CASE WHEN r.gov_kind <> 'none' THEN 'Concern about care on the ward'
	    ELSE 'Concern answered in the discussion' END,
	    t.id, r.me_id, r.t_cause + interval '3 minutes'
	FROM g_row r
	JOIN contacts t ON t.case_id = r.id
	WHERE r.office_id = o AND r.r_gov < 0.11 AND r.r_ex >= 0.15
	  AND r.t_cause + interval '3 minutes' <= v_now;

	INSERT INTO coroner_referrals (case_id, office_id, categories,
	    reason, recorded_at, referred_at, decision, decided_at,
	    decision_recorded_at, coroner_reference, author_id)
	SELECT id, office_id, ARRAY[category],
	    'Referred under the Notification of Deaths Regulations',
	    t_ref - interval '5 minutes', CASE WHEN t_ref <= v_now
	    THEN t_ref END,
	    CASE WHEN t_dec <= v_now THEN CASE WHEN inv
		THEN 'investigating' ELSE 'not_investigating' END END,
	    CASE WHEN t_dec <= v_now THEN t_dec END,
	    CASE WHEN t_dec <= v_now THEN t_dec END,
	    CASE WHEN t_dec <= v_now THEN 'COR/' || id END, officer_id
	FROM g_row
	WHERE office_id = o AND t_ref - interval '5 minutes' <= v_now;
END
$f$;
\timing off
