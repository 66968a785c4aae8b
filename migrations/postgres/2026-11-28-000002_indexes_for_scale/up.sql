-- Indexes found missing by the load test (benches/load/run.sh, docs/PERFORMANCE.md): 10,000
-- incidents of 100 clients, 100,000 planned alerts.

-- The tick looks up the planned, due alerts of one incident. With (incident_id, due_at) alone,
-- PostgreSQL's generic plan for that statement combined it with (status, due_at) and scanned
-- every due entry of the table; with the status in the key one index answers it.
DROP INDEX alerts_incident_idx;
CREATE INDEX alerts_incident_idx ON alerts (incident_id, status, due_at);

-- The dashboard's "other incidents": the latest changed first. The state is in the key so that
-- the running and untriaged incidents (the most recently changed) are skipped inside the index
-- instead of being read from the table one by one.
CREATE INDEX incidents_updated_idx ON incidents (updated_at, state);
CREATE INDEX incidents_client_updated_idx ON incidents (client_id, updated_at, state);

-- The dashboard's per-client counts of running and untriaged incidents.
CREATE INDEX incidents_state_client_idx ON incidents (state, client_id);

-- One client's running clocks by deadline and untriaged reports by age (a DPO's dashboard). With
-- (client_id, state) alone the planner preferred the ordered all-client indexes below and walked
-- every client's incidents.
DROP INDEX incidents_client_state_idx;
CREATE INDEX incidents_client_state_deadline_idx ON incidents (client_id, state, controller_aware_at);
CREATE INDEX incidents_client_state_reported_idx ON incidents (client_id, state, reported_at);

-- Every client's untriaged reports, oldest first (the officers' dashboard), without a sort.
CREATE INDEX incidents_state_reported_idx ON incidents (state, reported_at);
