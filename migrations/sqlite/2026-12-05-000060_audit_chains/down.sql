-- Back to one chain. The per-client chains cannot be turned back into the old single chain in SQL
-- (the hashes would have to be recomputed): the old tables come back empty, with a fresh head.
DROP TABLE audit_checkpoints;
DROP TABLE audit_heads;
DROP TABLE audit_events;
DROP TABLE IF EXISTS audit_events_v1;
DROP TABLE IF EXISTS audit_head_v1;
CREATE TABLE audit_events (
    seq          BIGINT PRIMARY KEY NOT NULL,
    at           TIMESTAMP NOT NULL,
    actor        TEXT NOT NULL,
    client_id    TEXT REFERENCES clients (id),
    incident_id  TEXT REFERENCES incidents (id),
    event_type   TEXT NOT NULL,
    detail       TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_events_incident_idx ON audit_events (incident_id, seq);
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY NOT NULL,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
