-- agentmesh sessions, SQLite schema version 5.
-- One index by session id serves both the lookup of a namespace's rows of a session
-- (session_id = ? AND namespace = ? ORDER BY key) and the deletion of a session's rows in every
-- namespace (session_id = ?): a row with a session writes one entry instead of two, a row of no
-- session (a trigger claim) none. PostgreSQL's version 5 also drops the events' foreign key and
-- narrows the participant index; SQLite keeps both: participants live in their own table (a
-- session without participants writes nothing there), and dropping a foreign key means
-- rebuilding the events table.
CREATE INDEX IF NOT EXISTS agentmesh_rows_of_session_idx
  ON agentmesh_rows (session_id, namespace, key) WHERE session_id IS NOT NULL;
DROP INDEX IF EXISTS agentmesh_rows_session_idx;
DROP INDEX IF EXISTS agentmesh_rows_by_session_idx;
