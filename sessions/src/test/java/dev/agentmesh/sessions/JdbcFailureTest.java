package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionStoreException;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** Store failures name the SQLState and the server's primary message, never the row's data. */
class JdbcFailureTest {

  private static final String SECRET = "my secret prompt about the invoice";

  private static void assertNoSecretIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage()))
          .doesNotContain(SECRET)
          .doesNotContain("Failing row");
    }
  }

  @Test
  void aFailureKeepsTheServersPrimaryMessageAndDropsTheDetailWithTheRow() {
    SQLException e =
        new SQLException(
            "ERROR: new row for relation \"agentmesh_events\" violates check "
                + "constraint \"no_secrets\"\n  Detail: Failing row contains (s1, 2, message.posted, 1, {\"text\": \""
                + SECRET
                + "\"}).",
            "23514");

    SessionStoreException failure =
        Jdbc.failure("PostgresSessionStore", "append to session 's1'", e);

    assertThat(failure)
        .hasMessage(
            "PostgresSessionStore failed to append to session 's1': ERROR: new row "
                + "for relation \"agentmesh_events\" violates check constraint \"no_secrets\" (SQLState 23514); "
                + "check the database is reachable and migrated, then retry");
    assertNoSecretIn(failure);
    assertThat(failure.getCause()).isInstanceOf(SQLException.class);
    assertThat(((SQLException) failure.getCause()).getSQLState()).isEqualTo("23514");
  }

  @Test
  void aLongServerMessageIsCutTo200Characters() {
    SQLException e = new SQLException("ERROR: " + "x".repeat(500), "XX000");

    SessionStoreException failure = Jdbc.failure("SqliteSessionStore", "load session 's1'", e);

    assertThat(failure.getMessage())
        .contains("ERROR: " + "x".repeat(100))
        .doesNotContain("x".repeat(300));
  }

  @Test
  void aFailingInsertIntoPostgresqlDoesNotPutThePayloadInTheException() {
    PostgresTestDatabase db = PostgresTestDatabase.get();
    String schema = PostgresTestDatabase.newSchema("pgsecret");
    try {
      PostgresSessionStore store =
          PostgresSessionStore.builder(db.dataSource()).schema(schema).migrate(true).build();
      db.execute(
          "ALTER TABLE \""
              + schema
              + "\".agentmesh_events ADD CONSTRAINT no_secrets "
              + "CHECK (payload::text NOT LIKE '%secret%')");
      Instant at = Instant.parse("2026-01-05T09:00:00Z");
      NewEvent event =
          new NewEvent(
              "message.posted",
              1,
              JsonNodeFactory.instance.objectNode().put("author", "ana").put("text", SECRET),
              at);

      assertThatThrownBy(
              () ->
                  store.append(
                      "s1",
                      0,
                      List.of(event),
                      SessionSummary.builder("s1")
                          .agent("plain")
                          .status("running")
                          .createdAt(at)
                          .updatedAt(at)
                          .build()))
          .isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("violates check constraint \"no_secrets\"")
          .hasMessageContaining("(SQLState 23514)")
          .satisfies(JdbcFailureTest::assertNoSecretIn);
    } finally {
      db.dropSchema(schema);
    }
  }
}
