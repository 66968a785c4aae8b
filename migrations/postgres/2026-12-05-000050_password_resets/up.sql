-- One-time links an admin mails to a user to choose a new password. Only the digest of the link's
-- secret is kept; a link works once (used_at), until expires_at, and issuing a new one for the same
-- user deletes the user's unused ones.
CREATE TABLE password_resets (
    token_digest TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);
