DROP INDEX incidents_state_deadline_idx;
CREATE INDEX incidents_state_deadline_idx ON incidents (state, controller_aware_at);
DROP INDEX incidents_decided_updated_idx;
