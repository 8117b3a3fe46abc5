package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.SessionStoreException;
import java.sql.Connection;
import java.sql.SQLException;

/** Transactions over one connection, with failures turned into the SPI's exceptions. */
final class Jdbc {

  /** Work on a connection that may throw {@link SQLException}. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private Jdbc() {}

  /** Runs {@code work} in a transaction on {@code c}, committing on success. */
  static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      rollbackQuietly(c, e);
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  static SessionStoreException failure(String store, String what, SQLException e) {
    return new SessionStoreException(store + " failed to " + what + ": " + e.getMessage()
        + " (SQLState " + e.getSQLState() + "); check the database is reachable and migrated, "
        + "then retry", e);
  }
}
