-- agentmesh sessions, PostgreSQL schema version 3.
-- agentmesh_rows: other modules' rows (create-once keys, trigger claims, pending reviews,
-- durable timers), unique by (namespace, key) and written in the same transaction as a
-- session's events. due: when a row falls due for claimRows; claim_owner/claim_until: who
-- holds it, until when (a dead claimant's rows pass on once the claim expires).

CREATE TABLE IF NOT EXISTS agentmesh_rows (
  namespace   text COLLATE "C" NOT NULL,
  key         text COLLATE "C" NOT NULL,
  session_id  text COLLATE "C",
  value       jsonb       NOT NULL,
  due         timestamptz,
  claim_owner text,
  claim_until timestamptz,
  PRIMARY KEY (namespace, key)
);

CREATE INDEX IF NOT EXISTS agentmesh_rows_session_idx
  ON agentmesh_rows (namespace, session_id, key) WHERE session_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS agentmesh_rows_due_idx
  ON agentmesh_rows (namespace, due, key) WHERE due IS NOT NULL;
