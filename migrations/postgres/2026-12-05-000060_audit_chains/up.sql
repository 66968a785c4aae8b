-- One audit chain per client plus a 'system' chain (docs/ARCHITECTURE.md §8). The single chain of
-- the earlier versions is kept as audit_events_v1 / audit_head_v1: SQL cannot compute SHA-256, so
-- art33 verifies it and re-chains its events per client in Rust right after the migrations run
-- (storage::audit_log::rechain_v1), then drops both tables. Keep in step with the SQLite file.
ALTER TABLE audit_events RENAME TO audit_events_v1;
ALTER INDEX audit_events_incident_idx RENAME TO audit_events_v1_incident_idx;
ALTER INDEX audit_events_pkey RENAME TO audit_events_v1_pkey;
ALTER INDEX audit_head_pkey RENAME TO audit_head_v1_pkey;
ALTER TABLE audit_head RENAME TO audit_head_v1;

CREATE TABLE audit_events (
    chain        TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    at           TIMESTAMP NOT NULL,
    actor        TEXT NOT NULL,
    client_id    TEXT REFERENCES clients (id),
    incident_id  TEXT REFERENCES incidents (id),
    event_type   TEXT NOT NULL,
    detail       TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);
-- An incident's timeline (audit_log::for_incident): all its events are on its client's chain.
CREATE INDEX audit_events_incident_idx ON audit_events (incident_id, seq);
-- The latest checkpoint (audit_log::checkpoint_if_due).
CREATE INDEX audit_events_type_idx ON audit_events (event_type, chain, seq);

-- One row per chain: its last sequence number and hash. Appends to a chain lock its row, so
-- appends to one chain are serialised and different clients' chains never wait for each other.
-- Rows are made on a chain's first append; the system chain's row is always there.
CREATE TABLE audit_heads (
    chain  TEXT PRIMARY KEY NOT NULL,
    seq    BIGINT NOT NULL,
    hash   TEXT NOT NULL
);
INSERT INTO audit_heads (chain, seq, hash) VALUES ('system', 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Bookkeeping of the last checkpoint: the head recorded for each client chain, to checkpoint only
-- the chains that moved. Verification reads the checkpoints in the system chain, never this.
CREATE TABLE audit_checkpoints (
    chain  TEXT PRIMARY KEY NOT NULL,
    seq    BIGINT NOT NULL,
    hash   TEXT NOT NULL
);
