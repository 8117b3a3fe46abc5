-- agentmesh sessions, PostgreSQL schema version 5.
-- Creating a session writes fewer index entries and checks no foreign key (a minute of 10,000
-- cron triggers creates 10,000 sessions at once; every append checked the key too).
--
-- agentmesh_events no longer references agentmesh_sessions. The store keeps the guarantee the key
-- gave: it inserts a session's events only in the transaction that inserted its summary row, or
-- updated it where the expected version still matched (the row lock that update takes orders it
-- after a delete that locked the row first); a delete locks the summary row, then deletes the
-- events and the row in one transaction. No event can outlive its session or precede it.
ALTER TABLE agentmesh_events DROP CONSTRAINT IF EXISTS agentmesh_events_session_id_fkey;

-- The participant lookup (SessionQuery.participant) reads only sessions with participants; the
-- store's query says so (cardinality(participants) > 0), so this partial index serves it. A
-- session without participants (every trigger-started one) writes no GIN entry.
CREATE INDEX IF NOT EXISTS agentmesh_sessions_participant_lists_idx
  ON agentmesh_sessions USING gin (participants) WHERE cardinality(participants) > 0;
DROP INDEX IF EXISTS agentmesh_sessions_participants_idx;

-- One index by session id serves both the lookup of a namespace's rows of a session
-- (session_id = ? AND namespace = ? ORDER BY key) and the deletion of a session's rows in every
-- namespace (session_id = ANY(?)): a row with a session writes one entry instead of two.
CREATE INDEX IF NOT EXISTS agentmesh_rows_of_session_idx
  ON agentmesh_rows (session_id, namespace, key) WHERE session_id IS NOT NULL;
DROP INDEX IF EXISTS agentmesh_rows_session_idx;
DROP INDEX IF EXISTS agentmesh_rows_by_session_idx;
