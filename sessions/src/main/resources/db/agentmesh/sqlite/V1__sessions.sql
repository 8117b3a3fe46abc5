-- agentmesh sessions, SQLite schema version 1.
-- Applied by SqliteSessionStore when it opens a file. Plain tables: payloads are JSON text,
-- instants are UTC ISO-8601 text with six fraction digits (they sort as text and SQLite's
-- date functions read them), booleans are 0/1.

CREATE TABLE IF NOT EXISTS agentmesh_sessions (
  id               TEXT    NOT NULL PRIMARY KEY,
  agent            TEXT    NOT NULL,
  status           TEXT    NOT NULL,
  runnable         INTEGER NOT NULL,
  trigger          TEXT    NOT NULL,
  parent_id        TEXT,
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL,
  version          INTEGER NOT NULL,
  lease_owner      TEXT,
  lease_expires_at TEXT
);

CREATE INDEX IF NOT EXISTS agentmesh_sessions_created_idx ON agentmesh_sessions (created_at, id);
CREATE INDEX IF NOT EXISTS agentmesh_sessions_status_idx ON agentmesh_sessions (status, created_at, id);
CREATE INDEX IF NOT EXISTS agentmesh_sessions_agent_idx ON agentmesh_sessions (agent, created_at, id);
CREATE INDEX IF NOT EXISTS agentmesh_sessions_trigger_idx ON agentmesh_sessions (trigger, created_at, id);
CREATE INDEX IF NOT EXISTS agentmesh_sessions_runnable_idx ON agentmesh_sessions (runnable, updated_at, id);

CREATE TABLE IF NOT EXISTS agentmesh_session_participants (
  session_id  TEXT NOT NULL REFERENCES agentmesh_sessions (id),
  participant TEXT NOT NULL,
  PRIMARY KEY (session_id, participant)
);

CREATE INDEX IF NOT EXISTS agentmesh_session_participants_idx
  ON agentmesh_session_participants (participant, session_id);

CREATE TABLE IF NOT EXISTS agentmesh_events (
  session_id   TEXT    NOT NULL REFERENCES agentmesh_sessions (id),
  version      INTEGER NOT NULL,
  type         TEXT    NOT NULL,
  type_version INTEGER NOT NULL,
  payload      TEXT    NOT NULL,
  at           TEXT    NOT NULL,
  PRIMARY KEY (session_id, version)
);
