-- agentmesh sessions, PostgreSQL schema version 1.
-- Applied by PostgresSessionStore.builder(dataSource).migrate(true), or by a host's Flyway
-- (point it at classpath:db/agentmesh/postgresql). Table names are unqualified: the schema is
-- chosen by search_path. Ids compare byte-wise (COLLATE "C") so paging order is the same on
-- every database.

CREATE TABLE IF NOT EXISTS agentmesh_sessions (
  id               text COLLATE "C" PRIMARY KEY,
  agent            text        NOT NULL,
  status           text        NOT NULL,
  runnable         boolean     NOT NULL,
  trigger          text        NOT NULL,
  participants     text[]      NOT NULL,
  parent_id        text COLLATE "C",
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  version          bigint      NOT NULL CHECK (version >= 0),
  lease_owner      text,
  lease_expires_at timestamptz
);

CREATE INDEX IF NOT EXISTS agentmesh_sessions_created_idx
  ON agentmesh_sessions (created_at, id);
CREATE INDEX IF NOT EXISTS agentmesh_sessions_status_idx
  ON agentmesh_sessions (status, created_at, id);
CREATE INDEX IF NOT EXISTS agentmesh_sessions_agent_idx
  ON agentmesh_sessions (agent, created_at, id);
CREATE INDEX IF NOT EXISTS agentmesh_sessions_trigger_idx
  ON agentmesh_sessions (trigger, created_at, id);
CREATE INDEX IF NOT EXISTS agentmesh_sessions_participants_idx
  ON agentmesh_sessions USING gin (participants);
CREATE INDEX IF NOT EXISTS agentmesh_sessions_parent_idx
  ON agentmesh_sessions (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS agentmesh_sessions_runnable_idx
  ON agentmesh_sessions (updated_at, id) WHERE runnable;

CREATE TABLE IF NOT EXISTS agentmesh_events (
  session_id   text COLLATE "C" NOT NULL REFERENCES agentmesh_sessions (id),
  version      bigint      NOT NULL CHECK (version >= 1),
  type         text        NOT NULL,
  type_version integer     NOT NULL,
  payload      jsonb       NOT NULL,
  at           timestamptz NOT NULL,
  PRIMARY KEY (session_id, version)
);
