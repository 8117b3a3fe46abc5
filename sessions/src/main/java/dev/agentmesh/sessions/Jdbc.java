package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.SessionStoreException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

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

  /** The longest server message a failure repeats. */
  static final int MAX_MESSAGE = 200;

  /**
   * A store failure naming the SQLState and only the server's primary message, cut to
   * {@value #MAX_MESSAGE} characters: a driver's detail (PostgreSQL's "Failing row contains
   * (...)") can hold a whole row, prompts included. The cause is a copy of {@code e} (state,
   * vendor code and stack trace) with that message, so logged stack traces stay clean too.
   */
  static SessionStoreException failure(String store, String what, SQLException e) {
    // A batch's own message repeats the statement with its values; the server's error is next.
    boolean batch = e instanceof BatchUpdateException;
    SQLException source = batch && e.getNextException() != null ? e.getNextException() : e;
    String primary = source == e && batch ? "a batch of statements failed" : primaryMessage(source.getMessage());
    String state = source.getSQLState() != null ? source.getSQLState() : e.getSQLState();
    SQLException redacted = new SQLException(primary, state, source.getErrorCode());
    redacted.setStackTrace(e.getStackTrace());
    return new SessionStoreException(store + " failed to " + what + ": " + primary
        + " (SQLState " + state + "); check the database is reachable and migrated, "
        + "then retry", redacted);
  }

  /** The first line of a driver's message, before any detail, at most {@link #MAX_MESSAGE} long. */
  static String primaryMessage(@Nullable String message) {
    if (message == null) {
      return "no message";
    }
    String primary = message.strip();
    for (String cut : new String[] {"\n", "\r", "Detail:", "Failing row"}) {
      int at = primary.indexOf(cut);
      if (at >= 0) {
        primary = primary.substring(0, at);
      }
    }
    primary = primary.strip();
    return primary.length() <= MAX_MESSAGE ? primary : primary.substring(0, MAX_MESSAGE) + "...";
  }
}
