-- Alert channels beyond e-mail (docs/ARCHITECTURE.md §7a): webhook endpoints of a client, or of the
-- officers' team when client_id is NULL. kind: webhook (generic JSON, Standard Webhooks signature),
-- teams, slack or mattermost. The URL is a secret for Teams, Slack and Mattermost (it is never
-- logged nor shown in full); secret is the generic kind's shared signing secret (whsec_…), kept as
-- is because it is needed to sign. A removed channel keeps its row (the outbox rows and the audit
-- trail name it) with its URL and secret blanked.
CREATE TABLE alert_channels (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT REFERENCES clients (id),
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    removed_at TIMESTAMP
);
CREATE INDEX alert_channels_by_client ON alert_channels (client_id);
-- Which loop delivers a row: mail (the SMTP loop) or webhook (the webhook loop). A webhook row's
-- to_addr is the channel id, its message_id the stable webhook-id, its body_text the payload.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'mail';
-- Each loop claims only its own channel's due rows.
CREATE INDEX outbox_channel_due_idx ON outbox (channel, status, next_attempt_at);
