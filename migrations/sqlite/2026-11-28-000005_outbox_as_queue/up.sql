-- PostgreSQL drops the outbox's foreign keys and keeps mail bodies in their rows (see its
-- migration of the same name). On SQLite a foreign key check is an in-process index probe, the
-- tick met its target with them, and dropping a constraint would mean rebuilding the table:
-- nothing changes on this engine. The migration exists so that both engines carry the same names.
SELECT 1;
