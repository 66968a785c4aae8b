DROP INDEX outbox_retrying_idx;
