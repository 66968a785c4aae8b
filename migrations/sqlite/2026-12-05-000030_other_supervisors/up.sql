-- AP form 1.3: the supervisors under other reporting duties (DNB, AFM, ...) that were told of the
-- breach, as the reporter or the DPO wrote it ("none" is an answer too). Free text: scanned for
-- personal data like the other facts, purged with them after retention.
ALTER TABLE incidents ADD COLUMN other_supervisors TEXT;
