DROP INDEX incidents_state_client_deadline_idx;
CREATE INDEX incidents_state_client_idx ON incidents (state, client_id);
