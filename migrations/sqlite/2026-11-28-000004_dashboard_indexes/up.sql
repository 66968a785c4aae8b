-- The dashboard's "other incidents" (neither running nor awaiting triage), latest changed first.
-- With (updated_at, state) PostgreSQL reads the table row of every running or untriaged incident
-- changed since (the most recently changed ones) before it finds a hundred others; this index has
-- the others only. The query writes the states in its SQL (storage::fixed) so that it implies the
-- predicate.
CREATE INDEX incidents_decided_updated_idx ON incidents (updated_at) WHERE state NOT IN ('reported', 'confirmed');

-- The dashboard's overdue clocks per client: with the client in the key, the running clocks whose
-- awareness is older than the window are counted inside the index (a range), instead of walking
-- the whole (client_id, state, controller_aware_at) index. The running clocks by deadline still
-- read it by its (state, controller_aware_at) prefix.
DROP INDEX incidents_state_deadline_idx;
CREATE INDEX incidents_state_deadline_idx ON incidents (state, controller_aware_at, client_id);
