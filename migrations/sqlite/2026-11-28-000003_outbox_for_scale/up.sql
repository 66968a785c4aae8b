-- Found by the load test (benches/load/run.sh, docs/PERFORMANCE.md).

-- The dashboards' failed mails, newest first. Partial: no cost for the rows that are pending or
-- sent, and found whatever the statistics say about the status column (after ANALYZE, which saw
-- one status only, the officers' dashboard read the whole outbox: 226 ms instead of 9).
CREATE INDEX outbox_failed_idx ON outbox (created_at) WHERE status = 'failed';
