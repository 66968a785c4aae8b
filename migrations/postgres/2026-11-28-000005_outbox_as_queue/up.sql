-- Found by the load test (benches/load/run.sh, docs/PERFORMANCE.md): a tick with 1,000 due alerts
-- queues 4,000 mails, and a fifth of PostgreSQL's time went to checking the outbox's two foreign
-- keys (two lookups per row, one trigger call each) and a seventh to moving the HTML body of every
-- row out of line into the TOAST table.

-- The outbox is a queue. Its rows are written only in the transaction that holds the incident's
-- row lock and has just read the alert, and incidents and alerts are never deleted (retention
-- blanks them), so the references cannot dangle. The columns stay, and outbox_incident_idx with
-- them (retention and an incident's deliveries read by it); the alert index served the foreign key
-- only.
ALTER TABLE outbox DROP CONSTRAINT outbox_incident_id_fkey;
ALTER TABLE outbox DROP CONSTRAINT outbox_alert_id_fkey;
DROP INDEX outbox_alert_idx;

-- A mail of a few kB stays in its row, uncompressed: one heap write instead of compression plus a
-- second table and its index. Larger bodies are still compressed (lz4 where available).
ALTER TABLE outbox SET (toast_tuple_target = 8160);
