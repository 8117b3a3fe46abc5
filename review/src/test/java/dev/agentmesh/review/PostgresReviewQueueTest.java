package dev.agentmesh.review;

import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

class PostgresReviewQueueTest extends ReviewQueueCases {

  private static final PostgresTestDatabase DB = PostgresTestDatabase.get();
  private static final List<String> SCHEMAS = new ArrayList<>();

  @AfterAll
  static void dropSchemas() {
    SCHEMAS.forEach(DB::dropSchema);
  }

  @Override
  protected SessionStore newStore() {
    String schema = PostgresTestDatabase.newSchema("reviewqueue");
    SCHEMAS.add(schema);
    return PostgresSessionStore.builder(DB.dataSource()).schema(schema).build();
  }
}
