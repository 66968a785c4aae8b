-- art33 initial schema (PostgreSQL). Keep in step with ../../sqlite/2026-11-28-000001_initial/up.sql:
-- the same tables, columns and types common to both backends (UTC TIMESTAMP, ids and enums as TEXT,
-- lists as JSON text).

CREATE TABLE clients (
    id                 TEXT PRIMARY KEY NOT NULL,
    slug               TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    dpo_email          TEXT NOT NULL,
    dpo_name           TEXT,
    escalation_emails  TEXT NOT NULL DEFAULT '[]',
    locale             TEXT NOT NULL DEFAULT 'nl',
    policy             TEXT,
    active             BOOLEAN NOT NULL DEFAULT TRUE,
    created_at         TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY NOT NULL,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT,
    role           TEXT NOT NULL,
    client_id      TEXT REFERENCES clients (id),
    password_hash  TEXT,
    locale         TEXT,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX users_client_idx ON users (client_id);

CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id),
    label         TEXT,
    prefix        TEXT NOT NULL,
    digest        TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP,
    revoked_at    TIMESTAMP
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE sessions (
    id_digest     TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id),
    csrf_token    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE incidents (
    id                            TEXT PRIMARY KEY NOT NULL,
    client_id                     TEXT NOT NULL REFERENCES clients (id),
    reference                     TEXT NOT NULL UNIQUE,
    ref_year                      INTEGER NOT NULL,
    ref_number                    INTEGER NOT NULL,
    state                         TEXT NOT NULL,
    version                       BIGINT NOT NULL DEFAULT 1,
    title                         TEXT NOT NULL,
    summary                       TEXT NOT NULL,
    discovered_at                 TIMESTAMP NOT NULL,
    discovery_method              TEXT,
    occurred_from                 TIMESTAMP,
    occurred_until                TIMESTAMP,
    ongoing                       BOOLEAN NOT NULL DEFAULT FALSE,
    incident_kind                 TEXT,
    nature                        TEXT NOT NULL DEFAULT '[]',
    data_categories               TEXT NOT NULL DEFAULT '[]',
    special_categories            TEXT NOT NULL DEFAULT '[]',
    records_approx                BIGINT,
    subject_groups                TEXT NOT NULL DEFAULT '[]',
    subjects_min                  BIGINT,
    subjects_max                  BIGINT,
    encryption                    TEXT,
    consequences                  TEXT,
    measures_taken                TEXT,
    measures_planned              TEXT,
    cross_border_states           TEXT NOT NULL DEFAULT '[]',
    other_organisations           TEXT,
    reported_at                   TIMESTAMP NOT NULL,
    reported_by                   TEXT NOT NULL REFERENCES users (id),
    processor_aware_at            TIMESTAMP,
    controller_aware_at           TIMESTAMP,
    awareness_justification       TEXT,
    acknowledged_at               TIMESTAMP,
    acknowledged_by               TEXT,
    assessment                    TEXT,
    dismiss_reason                TEXT,
    not_notifiable_justification  TEXT,
    ap_notified_at                TIMESTAMP,
    ap_reference                  TEXT,
    preliminary                   BOOLEAN,
    delay_reason                  TEXT,
    supplements                   TEXT NOT NULL DEFAULT '[]',
    notified_snapshot             TEXT,
    withdrawn_at                  TIMESTAMP,
    withdraw_reason               TEXT,
    subjects_decision             TEXT NOT NULL DEFAULT 'undecided',
    subjects_informed_at          TIMESTAMP,
    subjects_channel              TEXT,
    subjects_count                BIGINT,
    subjects_ground               TEXT,
    subjects_explanation          TEXT,
    closed_at                     TIMESTAMP,
    close_summary                 TEXT,
    purged_at                     TIMESTAMP,
    updated_at                    TIMESTAMP NOT NULL,
    UNIQUE (client_id, ref_year, ref_number)
);
CREATE INDEX incidents_client_state_idx ON incidents (client_id, state);
CREATE INDEX incidents_state_deadline_idx ON incidents (state, controller_aware_at);
CREATE INDEX incidents_reported_by_idx ON incidents (reported_by);
CREATE INDEX incidents_closed_idx ON incidents (closed_at);

CREATE TABLE idempotency_keys (
    user_id        TEXT NOT NULL REFERENCES users (id),
    idem_key       TEXT NOT NULL,
    request_digest TEXT NOT NULL,
    incident_id    TEXT NOT NULL REFERENCES incidents (id),
    created_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

CREATE TABLE alerts (
    id            TEXT PRIMARY KEY NOT NULL,
    incident_id   TEXT NOT NULL REFERENCES incidents (id),
    code          TEXT NOT NULL,
    generation    INTEGER NOT NULL,
    repeat_no     INTEGER NOT NULL DEFAULT 0,
    due_at        TIMESTAMP NOT NULL,
    status        TEXT NOT NULL,
    audience      TEXT NOT NULL DEFAULT '[]',
    recipients    TEXT NOT NULL DEFAULT '[]',
    fired_at      TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (incident_id, code, generation, repeat_no)
);
CREATE INDEX alerts_status_due_idx ON alerts (status, due_at);
CREATE INDEX alerts_incident_idx ON alerts (incident_id, due_at);

CREATE TABLE outbox (
    id               TEXT PRIMARY KEY NOT NULL,
    incident_id      TEXT REFERENCES incidents (id),
    alert_id         TEXT REFERENCES alerts (id),
    kind             TEXT NOT NULL,
    locale           TEXT NOT NULL,
    to_addr          TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    body_html        TEXT,
    message_id       TEXT NOT NULL UNIQUE,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP NOT NULL,
    lease_owner      TEXT,
    lease_until      TIMESTAMP,
    last_error       TEXT,
    server_reply     TEXT,
    sent_at          TIMESTAMP,
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX outbox_status_next_idx ON outbox (status, next_attempt_at);
CREATE INDEX outbox_incident_idx ON outbox (incident_id);
CREATE INDEX outbox_alert_idx ON outbox (alert_id);

CREATE TABLE ack_tokens (
    id           TEXT PRIMARY KEY NOT NULL,
    incident_id  TEXT NOT NULL REFERENCES incidents (id),
    client_id    TEXT NOT NULL REFERENCES clients (id),
    dpo_email    TEXT NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    used_at      TIMESTAMP,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX ack_tokens_incident_idx ON ack_tokens (incident_id);

CREATE TABLE login_attempts (
    id         TEXT PRIMARY KEY NOT NULL,
    bucket     TEXT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX login_attempts_key_idx ON login_attempts (bucket, at);

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

-- One row: the last sequence number and hash of the chain. Every append locks it first, so appends
-- are serialised across requests and replicas.
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY NOT NULL,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
