package dev.agentmesh.sessions.testing;

import dev.agentmesh.sessions.SqliteSessionStore;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

class SqliteSessionStoreCompatibilityTest extends SessionStoreCompatibilityKit {

  @TempDir Path dir;
  private final List<SqliteSessionStore> opened = new ArrayList<>();

  @Override
  protected SessionStore createStore() {
    return track(SqliteSessionStore.create(dir.resolve("sessions.db")));
  }

  /** A second connection to the same file, as a second process would open it. */
  @Override
  protected SessionStore openAnother(SessionStore store) {
    return track(SqliteSessionStore.create(((SqliteSessionStore) store).file()));
  }

  private SqliteSessionStore track(SqliteSessionStore store) {
    opened.add(store);
    return store;
  }

  /** Writes the payload text as it is, JSON or not, with plain SQL on the store's file. */
  @Override
  protected void appendRawEvent(
      SessionStore store,
      String sessionId,
      long expectedVersion,
      String type,
      int typeVersion,
      String payloadText,
      SessionSummary summary)
      throws Exception {
    store.append(
        sessionId,
        expectedVersion,
        List.of(
            new NewEvent(
                type,
                typeVersion,
                JsonNodeFactory.instance.objectNode(),
                Instant.parse("2026-03-01T09:00:00Z"))),
        summary);
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + ((SqliteSessionStore) store).file());
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE agentmesh_events SET payload = ? WHERE session_id = ? AND version = ?")) {
      ps.setString(1, payloadText);
      ps.setString(2, sessionId);
      ps.setLong(3, expectedVersion + 1);
      ps.executeUpdate();
    }
  }

  @Override
  protected void close(SessionStore store) {
    opened.forEach(SqliteSessionStore::close);
    opened.clear();
  }
}
