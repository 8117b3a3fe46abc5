-- agentmesh sessions, SQLite schema version 3.
-- agentmesh_rows: other modules' rows (create-once keys, trigger claims, pending reviews,
-- durable timers), unique by (namespace, key) and written in the same transaction as a
-- session's events. due: when a row falls due for claimRows; claim_owner/claim_until: who
-- holds it, until when (a dead claimant's rows pass on once the claim expires). value is JSON
-- text; instants are ISO-8601 text like the other tables.

CREATE TABLE IF NOT EXISTS agentmesh_rows (
  namespace   TEXT NOT NULL,
  key         TEXT NOT NULL,
  session_id  TEXT,
  value       TEXT NOT NULL,
  due         TEXT,
  claim_owner TEXT,
  claim_until TEXT,
  PRIMARY KEY (namespace, key)
);

CREATE INDEX IF NOT EXISTS agentmesh_rows_session_idx
  ON agentmesh_rows (namespace, session_id, key);
CREATE INDEX IF NOT EXISTS agentmesh_rows_due_idx
  ON agentmesh_rows (namespace, due, key);
