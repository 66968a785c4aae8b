-- The dashboard's "other incidents" (neither running nor awaiting triage), latest changed first.
-- With (updated_at, state) PostgreSQL reads the table row of every running or untriaged incident
-- changed since (the most recently changed ones) before it finds a hundred others; this index has
-- the others only. The query writes the states in its SQL (storage::fixed) so that it implies the
-- predicate.
CREATE INDEX incidents_decided_updated_idx ON incidents (updated_at) WHERE state NOT IN ('reported', 'confirmed');
