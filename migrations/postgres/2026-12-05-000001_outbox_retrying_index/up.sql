-- The dashboards' mails being retried (pending after a failed attempt), newest first. Partial: a
-- tick's burst of fresh pending mails, bodies and all, is never read to find them, and the rows
-- enter the index only when an attempt fails (a sent mail's error is cleared, so it leaves it).
-- The query writes the predicate in its SQL (storage::outbox) so that it implies this one.
CREATE INDEX outbox_retrying_idx ON outbox (created_at) WHERE status = 'pending' AND last_error IS NOT NULL;
