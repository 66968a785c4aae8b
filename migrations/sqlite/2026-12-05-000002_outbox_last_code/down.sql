ALTER TABLE outbox DROP COLUMN last_code;
