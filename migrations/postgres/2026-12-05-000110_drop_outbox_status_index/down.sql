CREATE INDEX outbox_status_next_idx ON outbox (status, next_attempt_at);
