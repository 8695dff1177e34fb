-- Issue 23, the coroner referral document: when and how the current
-- referral was sent to the coroner and by whom, and the coroner's
-- acknowledgement (when, who recorded it, the coroner's reference).
-- Both are recorded on the referral by PUT .../coroner-referral/sent
-- and .../coroner-referral/acknowledgement (sql/referral.sql), each an
-- event in the case's trail.
ALTER TABLE coroner_referrals ADD COLUMN sent_at timestamptz;
ALTER TABLE coroner_referrals ADD COLUMN sent_method text
    CHECK (sent_method IN ('email', 'secure_email', 'portal', 'phone',
    'post'));
ALTER TABLE coroner_referrals ADD COLUMN sent_by bigint
    REFERENCES users (id);
ALTER TABLE coroner_referrals ADD COLUMN acknowledged_at timestamptz;
ALTER TABLE coroner_referrals ADD COLUMN acknowledged_by bigint
    REFERENCES users (id);
ALTER TABLE coroner_referrals ADD COLUMN acknowledgement_reference text
    CHECK (length(acknowledgement_reference) BETWEEN 1 AND 100);
ALTER TABLE coroner_referrals ADD CONSTRAINT coroner_referrals_sent
    CHECK ((sent_at IS NULL) = (sent_method IS NULL)
    AND (sent_at IS NULL) = (sent_by IS NULL));
-- An acknowledgement answers a referral that was sent.
ALTER TABLE coroner_referrals ADD CONSTRAINT coroner_referrals_ack
    CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL)
    AND (acknowledged_at IS NULL OR sent_at IS NOT NULL));
-- The officer's "waiting for acknowledgement" list.
CREATE INDEX coroner_referrals_unacknowledged ON coroner_referrals
    (office_id, sent_at) WHERE sent_at IS NOT NULL
    AND acknowledged_at IS NULL;

-- The senior coroner's area the office refers to, printed on the
-- referral document; NULL until an admin sets it (the document then
-- says it is not recorded).
ALTER TABLE offices ADD COLUMN coroner_area text
    CHECK (length(coroner_area) BETWEEN 1 AND 200);
