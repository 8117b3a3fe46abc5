-- agentmesh sessions, SQLite schema version 2.
-- lease_epoch: grows each time a session's lease passes to another holder; a driver's append
-- is stored only while the epoch is still the one it leased under (store-level fencing).
-- quarantine: why the session's log cannot be read; claims skip such sessions until an operator
-- repairs the row and the runtime retries it.

ALTER TABLE agentmesh_sessions ADD COLUMN lease_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agentmesh_sessions ADD COLUMN quarantine TEXT;
