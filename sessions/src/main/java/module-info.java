/**
 * Sessions: the durable event log of work and the {@link dev.agentmesh.sessions.spi.SessionStore}
 * SPI with its in-memory, SQLite and PostgreSQL stores.
 */
module dev.agentmesh.sessions {
  requires transitive dev.agentmesh.core;
  requires transitive tools.jackson.databind;
  requires transitive java.sql;
  requires static org.jspecify;
  requires com.github.benmanes.caffeine;
  requires org.xerial.sqlitejdbc;
  requires org.slf4j;
  requires static org.postgresql.jdbc;

  exports dev.agentmesh.sessions;
  exports dev.agentmesh.sessions.spi;
}
