package dev.agentmesh.review;

import dev.agentmesh.sessions.SqliteSessionStore;
import dev.agentmesh.sessions.spi.SessionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteReviewQueueTest extends ReviewQueueCases {

  @TempDir Path dir;

  @Override
  protected SessionStore newStore() {
    return SqliteSessionStore.create(dir.resolve("queue.db"));
  }
}
