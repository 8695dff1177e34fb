-- Issue 19, acceptance 5: retention that removes values from the trail
-- too.  (Numbered 0025 on its branch; 0026 on main.)
--
-- Hash version 1 chains over each event's whole `changes`, so no value
-- in it can ever be removed without breaking the chain.  Version 2
-- (case_event_canonical_v2, sql/cases_common.sql) chains over a digest
-- of each top-level key of `changes` instead: the SHA-256 of a random
-- salt of that key's own (salts) and of the value's jsonb text.  The
-- retention purge (sql/retention.sql) replaces an identifiable value
-- with null, moves its digest to purged and drops its salt; the chain
-- still verifies, from the stored digest, and without the salt the
-- digest cannot be turned back into the value by trying every NHS
-- number or date of birth.
--
-- Existing events stay version 1 (the column's default for them) and
-- keep verifying as before; new ones are version 2 (the default from
-- now on).  The server's role may insert neither hash_version nor
-- purged (column privileges below): only the owner, as `medexctl
-- retention purge` runs, may say that a value was purged.  It has no
-- UPDATE on the trail at all (0004).
ALTER TABLE case_events ADD COLUMN hash_version smallint NOT NULL DEFAULT 1;
ALTER TABLE case_events ALTER COLUMN hash_version SET DEFAULT 2;
ALTER TABLE case_events ADD COLUMN salts jsonb NOT NULL DEFAULT '{}';
ALTER TABLE case_events ADD COLUMN purged jsonb NOT NULL DEFAULT '{}';

-- NOT VALID: every existing row has the defaults just given, which
-- pass; validating would only read the whole trail under a lock.
ALTER TABLE case_events ADD CONSTRAINT case_events_hash_version CHECK (
    hash_version IN (1, 2)
    AND jsonb_typeof(salts) = 'object' AND jsonb_typeof(purged) = 'object'
    AND (hash_version = 2 OR (salts = '{}' AND purged = '{}'))
    AND (hash_version = 1 OR jsonb_typeof(changes) = 'object')) NOT VALID;

-- medex_app has no privilege on case_events at all since migration
-- 0025 (app_boundary): events are written by the entry points only, and
-- the purge by medexctl as the owner.
