-- Found by the load test (benches/load/run.sh, docs/PERFORMANCE.md).

-- A tick with 1,000 due alerts queues 4,000 mails of about 3 kB. PostgreSQL compresses bodies of
-- that size with pglz, which was a third of the tick's time; lz4 compresses them at a fraction of
-- the cost. Where the server lacks lz4 the bodies keep the default.
DO $$
BEGIN
  EXECUTE 'ALTER TABLE outbox ALTER COLUMN body_text SET COMPRESSION lz4, '
    || 'ALTER COLUMN body_html SET COMPRESSION lz4';
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'lz4 is not available: mail bodies keep the default compression (%)', SQLERRM;
END
$$;

-- The dashboards' failed mails, newest first. Partial: no cost for the rows that are pending or
-- sent, and found whatever the statistics say about the status column.
CREATE INDEX outbox_failed_idx ON outbox (created_at) WHERE status = 'failed';
