-- Indexes found missing by the load test (benches/load/run.sh, docs/PERFORMANCE.md).

-- The tick looks up the planned, due alerts of one incident. With (incident_id, due_at) alone,
-- PostgreSQL's generic plan for that statement combined it with (status, due_at) and scanned
-- every due entry of the table; with the status in the key one index answers it.
DROP INDEX alerts_incident_idx;
CREATE INDEX alerts_incident_idx ON alerts (incident_id, status, due_at);

-- The dashboard's "other incidents" section: the latest changed first, without sorting every
-- closed incident of the register on each request.
CREATE INDEX incidents_updated_idx ON incidents (updated_at);
CREATE INDEX incidents_client_updated_idx ON incidents (client_id, updated_at);

-- The dashboard's per-client counts of running and untriaged incidents.
CREATE INDEX incidents_state_client_idx ON incidents (state, client_id);
