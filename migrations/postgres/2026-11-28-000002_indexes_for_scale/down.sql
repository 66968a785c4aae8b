DROP INDEX incidents_state_reported_idx;
DROP INDEX incidents_client_state_reported_idx;
DROP INDEX incidents_client_state_deadline_idx;
CREATE INDEX incidents_client_state_idx ON incidents (client_id, state);
DROP INDEX incidents_state_client_idx;
DROP INDEX incidents_client_updated_idx;
DROP INDEX incidents_updated_idx;
DROP INDEX alerts_incident_idx;
CREATE INDEX alerts_incident_idx ON alerts (incident_id, due_at);
