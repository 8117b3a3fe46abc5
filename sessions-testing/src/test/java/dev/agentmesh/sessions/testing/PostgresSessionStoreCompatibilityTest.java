package dev.agentmesh.sessions.testing;

import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Against real PostgreSQL, in a schema of its own; other instances share it as nodes would. */
class PostgresSessionStoreCompatibilityTest extends SessionStoreCompatibilityKit {

  private static final PostgresTestDatabase DB = PostgresTestDatabase.get();
  private static String schema;

  @BeforeAll
  static void createSchema() {
    schema = PostgresTestDatabase.newSchema("kit");
    PostgresSessionStore.builder(DB.dataSource()).schema(schema).migrate(true).build();
  }

  @AfterAll
  static void dropSchema() {
    DB.dropSchema(schema);
  }

  @Override
  protected SessionStore createStore() {
    DB.execute(
        "TRUNCATE \""
            + schema
            + "\".agentmesh_events, \""
            + schema
            + "\".agentmesh_sessions, \""
            + schema
            + "\".agentmesh_rows");
    return openAnother(null);
  }

  @Override
  protected SessionStore openAnother(SessionStore store) {
    return PostgresSessionStore.builder(DB.dataSource()).schema(schema).build();
  }
}
