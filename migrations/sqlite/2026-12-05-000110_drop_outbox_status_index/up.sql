-- Since alert channels every query of the queue names its channel, and outbox_channel_due_idx
-- (channel, status, next_attempt_at) serves it; the older (status, next_attempt_at) index was only
-- kept up to date. Each mail marked sent changed it, so that update was never a heap-only (HOT)
-- update on PostgreSQL, and every enqueue and claim wrote one index more than it reads.
DROP INDEX outbox_status_next_idx;
