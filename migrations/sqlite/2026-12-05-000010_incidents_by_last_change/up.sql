-- The API's incident list after its running clocks: by last change, newest first, ties by id
-- (storage::incidents::list_after reads it page by page in this order).
CREATE INDEX incidents_by_last_change_idx ON incidents (updated_at DESC, id);
