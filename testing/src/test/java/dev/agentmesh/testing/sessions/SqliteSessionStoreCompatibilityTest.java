package dev.agentmesh.testing.sessions;

import dev.agentmesh.sessions.SqliteSessionStore;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.SessionStoreCompatibilityKit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

class SqliteSessionStoreCompatibilityTest extends SessionStoreCompatibilityKit {

  @TempDir Path dir;
  private final List<SqliteSessionStore> opened = new ArrayList<>();

  @Override
  protected SessionStore createStore() {
    return track(SqliteSessionStore.open(dir.resolve("sessions.db")));
  }

  /** A second connection to the same file, as a second process would open it. */
  @Override
  protected SessionStore openAnother(SessionStore store) {
    return track(SqliteSessionStore.open(((SqliteSessionStore) store).file()));
  }

  private SqliteSessionStore track(SqliteSessionStore store) {
    opened.add(store);
    return store;
  }

  @Override
  protected void close(SessionStore store) {
    opened.forEach(SqliteSessionStore::close);
    opened.clear();
  }
}
