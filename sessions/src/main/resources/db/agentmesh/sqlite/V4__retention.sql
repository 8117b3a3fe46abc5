-- agentmesh sessions, SQLite schema version 4.
-- Retention: purge finds finished, idle sessions by status and last update (oldest first);
-- deleting a session deletes its rows in agentmesh_rows of every namespace, found by session id.

CREATE INDEX IF NOT EXISTS agentmesh_sessions_purge_idx
  ON agentmesh_sessions (status, updated_at, id) WHERE runnable = 0 AND quarantine IS NULL;
CREATE INDEX IF NOT EXISTS agentmesh_rows_by_session_idx
  ON agentmesh_rows (session_id) WHERE session_id IS NOT NULL;
