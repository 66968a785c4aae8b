-- The dashboard counts open incidents by state and client, and the running clocks among them whose
-- awareness is older than the window, in one statement (storage::incidents::dashboard). With the
-- awareness in the key, both counts are read from this index alone and in its order: the
-- officers' counts over every client stay an ordered aggregate over the index, not a hash over
-- the table's rows. It replaces the index of (state, client_id), its prefix.
DROP INDEX incidents_state_client_idx;
CREATE INDEX incidents_state_client_deadline_idx ON incidents (state, client_id, controller_aware_at);
