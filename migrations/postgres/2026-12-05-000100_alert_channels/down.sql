DROP INDEX outbox_channel_due_idx;
ALTER TABLE outbox DROP COLUMN channel;
DROP TABLE alert_channels;
