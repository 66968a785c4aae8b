-- Secrets of the installation that art33 makes itself, once, when none is configured: today the
-- key that signs acknowledgement links (name 'server.secret_key', value base64) outside production,
-- so that links mailed before a restart keep working. Written insert-if-absent, so replicas
-- starting together agree on one value. A configured server.secret_key is never stored here.
CREATE TABLE instance_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
