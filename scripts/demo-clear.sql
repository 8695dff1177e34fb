-- Used by scripts/demo-reset.sh only (development): removes every case
-- of one office, with all its records and its trail, so that the demo
-- data can be recorded again.  The office comes in as the setting
-- medex.demo_office (PGOPTIONS), never as SQL text.  Run as the owner:
-- medex_app may not delete trail events.  The security log is kept.
\set ON_ERROR_STOP on
BEGIN;
DO $$
DECLARE
	v_office	bigint;
	v_left		integer;
	v_before	integer;
	v_n		bigint;
	t		text;
BEGIN
	SELECT id INTO v_office FROM offices
	WHERE code = current_setting('medex.demo_office');
	IF v_office IS NULL THEN
		RAISE EXCEPTION 'no office %',
		    current_setting('medex.demo_office');
	END IF;
	-- Row-level security is forced on the case tables, owner included.
	PERFORM set_config('medex.office_id', v_office::text, true);
	-- Every table that points at cases, in an order the references
	-- between them allow: a table still referenced fails its delete
	-- (rolled back to its own savepoint) and is tried on the next pass.
	v_before := -1;
	LOOP
		v_left := 0;
		FOR t IN SELECT DISTINCT c.conrelid::regclass::text
		    FROM pg_constraint c
		    WHERE c.contype = 'f' AND c.confrelid = 'cases'::regclass
		LOOP
			BEGIN
				EXECUTE format('DELETE FROM %s WHERE case_id IN '
				    '(SELECT id FROM cases WHERE office_id = $1)',
				    t) USING v_office;
			EXCEPTION WHEN foreign_key_violation THEN
				v_left := v_left + 1;
			END;
		END LOOP;
		EXIT WHEN v_left = 0;
		IF v_left = v_before THEN
			RAISE EXCEPTION 'cannot order the deletes (% left)',
			    v_left;
		END IF;
		v_before := v_left;
	END LOOP;
	DELETE FROM cases WHERE office_id = v_office;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	RAISE NOTICE 'removed % cases of office %', v_n,
	    current_setting('medex.demo_office');
END
$$;
COMMIT;
