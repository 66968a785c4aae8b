DROP INDEX outbox_failed_idx;
