-- Personal deadline-calendar feeds (`/calendar/{secret}.ics`): one live feed per user at most.
-- Only the digest of the feed's secret is kept; revoking sets revoked_at, and the feed answers 404.
CREATE TABLE calendar_feeds (
    token_digest TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX calendar_feeds_by_user ON calendar_feeds (user_id);
